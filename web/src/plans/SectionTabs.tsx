// The tabs over an open plan's panels, and the button that closes the plan.
import { m } from './messages.ts';

export const sections = ['plan', 'layers', 'analysis', 'versions', 'summary', 'export'] as const;
export type Section = (typeof sections)[number];

export function SectionTabs({
  current,
  onSelect,
  onClose,
}: {
  current: Section;
  onSelect: (section: Section) => void;
  onClose: () => void;
}) {
  return (
    <div class="tabs" role="tablist">
      {sections.map((name) => (
        <button
          type="button"
          role="tab"
          key={name}
          aria-selected={current === name}
          class={current === name ? 'tab active' : 'tab'}
          onClick={() => onSelect(name)}
        >
          {m(`section.${name}`)}
        </button>
      ))}
      <button type="button" class="tab" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
