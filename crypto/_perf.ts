import { ready, generateOrgKeys, openSealingSession, sealRecord, createRecordOpener, openRecord } from './src/index.ts';
await ready();
const org = generateOrgKeys();
const N = 100000;
const records = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(JSON.stringify({ id: i, name: 'x'.repeat(900 + (i % 100)) })));
const ids = Array.from({ length: N }, (_, i) => 'rec-' + i);
for (let round = 0; round < 3; round++) {
  const s = openSealingSession('org-1', org.publicKey);
  let t = performance.now();
  const env: Uint8Array[] = new Array(N);
  for (let i = 0; i < N; i++) env[i] = sealRecord(s, ids[i]!, 1, records[i % 1000]!);
  const seal = performance.now() - t;
  const o = createRecordOpener('org-1', org);
  t = performance.now();
  for (let i = 0; i < N; i++) openRecord(o, ids[i]!, 1, env[i]!);
  console.log('seal', seal.toFixed(0), 'open', (performance.now() - t).toFixed(0));
}
