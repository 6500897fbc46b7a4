// Coordinates a person types: decimal degrees ("32.1167, 20.0667") or degrees, minutes and seconds
// ("32°07'00\"N 20°04'00\"E", "N32°07.0' E020°04.0'"). The angles are read by geographiclib-dms
// (GeographicLib's DMS reader: hemisphere letters, d/°, '/′ and "/″ marks, either order when the
// hemispheres say which is which); this module only finds the two halves.
import { DecodeLatLon } from 'geographiclib-dms';

export type CoordinatesProblem = 'empty' | 'two-parts' | 'unreadable';
export type CoordinatesReading = { ok: true; lat: number; lon: number } | { ok: false; problem: CoordinatesProblem };

/** Typographic marks people paste, in the forms the reader knows. */
const marks: [RegExp, string][] = [
  [/[º˚]/g, '°'],
  [/[‘’′´]/g, "'"],
  [/[“”″]|''/g, '"'],
];

/** The two halves of what was typed: split at a comma or semicolon, else between two words. */
function halves(text: string): [string, string] | null {
  const parts = text.includes(';') || text.includes(',') ? text.split(/[;,]/) : splitWords(text);
  if (parts.length !== 2) return null;
  const [first, second] = parts.map((part) => part.replace(/\s+/g, ''));
  return first && second ? [first, second] : null;
}

/** "32°07'N 20°04'E" or "32.1 20.06": two words; "32° 07' N 20° 04' E": split after the first hemisphere letter. */
function splitWords(text: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 2) return words;
  const hemisphere = words.findIndex((word, index) => index > 0 && index < words.length - 1 && /[NSEW]$/i.test(word));
  if (hemisphere > 0) return [words.slice(0, hemisphere + 1).join(''), words.slice(hemisphere + 1).join('')];
  const leading = words.findIndex((word, index) => index > 0 && /^[NSEW]/i.test(word));
  return leading > 0 ? [words.slice(0, leading).join(''), words.slice(leading).join('')] : words;
}

/** Latitude first unless the hemisphere letters say otherwise. */
export function readCoordinates(typed: string): CoordinatesReading {
  let text = typed.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  for (const [pattern, replacement] of marks) text = text.replace(pattern, replacement);
  // Decimal commas, as French or Arabic keyboards write them: "32,1167 20,0667" or "32,1167; 20,0667".
  const commas = /^(-?\d+),(\d+)\s*[;\s]\s*(-?\d+),(\d+)$/.exec(text);
  if (commas) text = `${commas[1]}.${commas[2]}, ${commas[3]}.${commas[4]}`;
  const parts = halves(text);
  if (!parts) return { ok: false, problem: 'two-parts' };
  try {
    const { lat, lon } = DecodeLatLon(parts[0], parts[1], false);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return { ok: false, problem: 'unreadable' };
    return { ok: true, lat, lon };
  } catch {
    // The reader throws on anything that is not an angle: a word, a latitude beyond 90, two latitudes.
    return { ok: false, problem: 'unreadable' };
  }
}
