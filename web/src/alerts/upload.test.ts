import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uploadOf } from './upload.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/alerts/${name}`, import.meta.url), 'utf8');

describe('alert upload', () => {
  it('sends XML as CAP and JSON as a GDACS event, byte order mark and spaces aside', () => {
    const cap = uploadOf(`\uFEFF\n${fixture('cap-derna-storm-severe.xml')}`);
    expect(cap.ok && cap.upload.format).toBe('cap');
    expect(cap.ok && (cap.upload.content as string).startsWith('<?xml')).toBe(true);
    const gdacs = uploadOf(fixture('gdacs-tc-derna.geojson'));
    expect(gdacs.ok && gdacs.upload.format).toBe('gdacs');
    expect(gdacs.ok && (gdacs.upload.content as { features: unknown[] }).features).toHaveLength(2);
  });

  it('says what it expected when the file is neither', () => {
    expect(uploadOf('Flash flood in Derna!')).toEqual({ ok: false, message: 'expected a CAP 1.2 XML alert or a GDACS GeoJSON event' });
  });
});
