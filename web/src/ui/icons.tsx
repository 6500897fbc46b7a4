// Small icons drawn as inline SVG. The page ships no font, and an emoji or dingbat is drawn from
// whatever symbol font the device has: Debian's Chromium showed a box (□) for the person marker.
// SVG draws the same everywhere and takes the text colour (currentColor). Characters the fonts
// certainly have are listed in glyphs.test.ts, which fails on any other symbol in the client.

export type IconShape = 'person' | 'warning' | 'mail' | 'check';

function shape(name: IconShape) {
  switch (name) {
    case 'person':
      return (
        <>
          <circle cx="8" cy="4.5" r="3" />
          <path d="M2 15c0-3.3 2.7-6 6-6s6 2.7 6 6z" />
        </>
      );
    case 'warning':
      // A triangle with the exclamation mark cut out of it (even-odd fill).
      return <path fill-rule="evenodd" d="M8 1 15.5 14.5H.5zM7.1 5.5h1.8l-.3 5H7.4zM7.1 11.6h1.8v1.7H7.1z" />;
    case 'mail':
      return (
        <g fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round">
          <rect x="1.5" y="3.5" width="13" height="9" rx="1" />
          <path d="m2 4.5 6 4.5 6-4.5" />
        </g>
      );
    case 'check':
      return (
        <path
          d="m2.5 8.5 3.5 3.5 7.5-8"
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      );
  }
}

/**
 * One icon, 1em square. With a `label` it is an image with that name (for a marker that says
 * something the text beside it does not); without, it is decoration and hidden from screen readers.
 */
export function Icon({ shape: name, label }: { shape: IconShape; label?: string }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="currentColor"
      focusable="false"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : 'true'}
    >
      {label && <title>{label}</title>}
      {shape(name)}
    </svg>
  );
}
