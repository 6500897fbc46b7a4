import { describe, expect, it } from 'vitest';
import { demoRecords } from '#fixtures';
import { migrateRecord } from './migrate.ts';

const version0Community = {
  kind: 'community',
  id: '3f0f8c1e-6a55-4c57-9d0b-1d0a4b3c2a10',
  name: 'Brega port dormitory',
  lon: 19.57,
  lat: 30.41,
  people: 42,
  nationality: 'np, bd',
  needs: 'water; food; blankets',
  status: 'stranded',
  contactName: 'Hari Thapa',
  contactPhone: '+977 980 000 0000',
  updatedAt: '2011-02-25T10:00:00.000Z',
  updatedBy: 'pilot-phone',
};

const version0Person = {
  schemaVersion: 0,
  kind: 'person',
  id: '9a1d2e4f-0b6c-4d7e-8f90-a1b2c3d4e5f6',
  name: 'Sita Gurung',
  nationality: 'NP',
  refugee: true,
  shareWithConsulate: true,
  updatedAt: '2011-02-25T11:00:00.000Z',
  updatedBy: 'pilot-phone',
};

describe('migrateRecord', () => {
  it('opens a schema 0 community as schema 1 with its position as the first whereabouts', () => {
    const result = migrateRecord(version0Community);
    expect(result.ok).toBe(true);
    if (!result.ok || result.body.kind !== 'community') throw new Error('expected a community');
    expect(result.migratedFrom).toBe(0);
    expect(result.body.schemaVersion).toBe(1);
    expect(result.body.headcount.total).toBe(42);
    expect(result.body.nationalities).toEqual([{ code: 'NP' }, { code: 'BD' }]);
    expect(result.body.needs).toEqual(['water', 'food']);
    expect(result.body.contact).toEqual({ name: 'Hari Thapa', phone: '+977 980 000 0000' });
    expect(result.body.history).toEqual([{ at: version0Community.updatedAt, status: 'stranded', location: { lon: 19.57, lat: 30.41 } }]);
  });

  it('never turns an old "share with consulate" into own-consulate consent for a refugee, nor widens consent', () => {
    const result = migrateRecord(version0Person);
    if (!result.ok || result.body.kind !== 'person') throw new Error('expected a person');
    expect(result.body.consent).toMatchObject({ ownConsulate: false, hostAuthorities: false, humanitarian: false });
    expect(result.body.notes).toMatch(/schema 0/);
    const notRefugee = migrateRecord({ ...version0Person, refugee: false });
    expect(notRefugee.ok && notRefugee.body.kind === 'person' && notRefugee.body.consent.ownConsulate).toBe(true);
  });

  it('passes current records through unchanged', () => {
    const current = demoRecords().persons[0]!;
    const result = migrateRecord(current);
    expect(result).toEqual({ ok: true, body: current, migratedFrom: null });
  });

  it('says why a record cannot be opened', () => {
    expect(migrateRecord({ ...version0Community, lat: 123 })).toMatchObject({ ok: false, reason: /location\.lat/ });
    expect(migrateRecord({ ...version0Community, schemaVersion: 9 })).toMatchObject({ ok: false, reason: /newer version/ });
    expect(migrateRecord('text')).toMatchObject({ ok: false });
  });
});
