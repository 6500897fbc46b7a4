// Records the browser suites seed through the API before their pages open: bodies the app's schemas
// accept (communities, people with their consent), sealed under the org key with real libsodium and
// pushed through the typed client as a device's sync would.

type Fields = Record<string, unknown>;
type Consent = { ownConsulate?: boolean; hostAuthorities?: boolean; humanitarian?: boolean; messages?: boolean };

/** Builders for one suite's seed records, all dated `at`; any field can be given to override the defaults. */
export function seedBuilders(at = new Date().toISOString()) {
  const base = {
    schemaVersion: 1,
    updatedAt: at,
    updatedBy: 'seed',
    needs: ['water'],
    vulnerabilities: [],
    status: 'stranded',
    history: [],
  };
  /** Consent to all three, recorded at `at`, unless said otherwise. */
  const consent = (choices: Consent = {}) => ({
    ownConsulate: true,
    hostAuthorities: true,
    humanitarian: true,
    ...choices,
    recordedAt: at,
  });
  const community = (fields: { name: string; location: { lon: number; lat: number } } & Fields) => ({
    ...base,
    id: crypto.randomUUID(),
    kind: 'community',
    headcount: { total: 10 },
    nationalities: [{ code: 'NP' }],
    languages: ['ne'],
    site: { type: 'dormitory' },
    ...fields,
  });
  const person = (fields: { communityId: string; name: string } & Fields) => ({
    ...base,
    id: crypto.randomUUID(),
    kind: 'person',
    sex: 'female',
    nationality: 'NP',
    refugee: false,
    languages: ['ne'],
    documents: { passport: 'held', other: [] },
    consent: consent(),
    ...fields,
  });
  return { at, base, consent, community, person };
}

/** Seals records under the officer's org key and pushes them (the demo seeding's way, scripts/lib/actors.ts). */
export { pushSealed } from '../../scripts/lib/actors.ts';
