// What the import route wants from a file the officer picked (pure).
export type AlertUpload = { format: 'cap'; content: string } | { format: 'gdacs'; content: unknown };

/** A file's text as the import route wants it: XML is CAP, JSON is a GDACS event. */
export function uploadOf(text: string): { ok: true; upload: AlertUpload } | { ok: false; message: string } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('<')) return { ok: true, upload: { format: 'cap', content: trimmed } };
  try {
    return { ok: true, upload: { format: 'gdacs', content: JSON.parse(trimmed) as unknown } };
  } catch {
    return { ok: false, message: 'expected a CAP 1.2 XML alert or a GDACS GeoJSON event' };
  }
}
