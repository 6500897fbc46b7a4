// Loads a demo scenario into a running Worker exactly as real clients would: organisations and
// members are created with client-side keys, the CSO's field device seals the scenario's invented
// communities and people to the org key and pushes them. The only shortcut is the demo_accounts
// table, which holds each demo member's key file locked under the demo passphrase, so a newcomer
// can sign in from the browser.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockMemberKeys } from '#crypto';
import { demoRecords, loadScenario } from '#fixtures';
import { offlineEnv, projectRoot } from '../worker-process.ts';
import { addPartner, admitFieldDevice, createOrg, grantOrgKey, invite, pushSealed, type Actor } from './actors.ts';

export const DEMO_PASSPHRASE = 'demo-only passphrase';

export interface SeededAccount {
  title: string;
  orgName: string;
  role: 'officer' | 'field';
  actor: Actor;
}

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

export async function seedDemo(baseUrl: string, persistTo: string, scenarioId = 'libya-2011', log = console.log): Promise<SeededAccount[]> {
  const scenario = loadScenario(scenarioId);
  const accounts: SeededAccount[] = [];
  for (const organisation of scenario.organisations) {
    const [founder, ...others] = organisation.members;
    if (!founder) continue;
    const officer = await createOrg(baseUrl, {
      kind: organisation.kind,
      name: organisation.name,
      country: organisation.country,
      nationalities: organisation.nationalitiesServed ?? [],
      founderLabel: founder.name,
    });
    accounts.push({ title: `${founder.name} (officer)`, orgName: organisation.name, role: 'officer', actor: officer });
    // Officers already in the roster co-sign each new one (k of them are needed once there are k).
    const officers: Actor[] = [];
    for (const member of others) {
      let actor = await invite(officer, member.role, member.name);
      if (member.role === 'officer') {
        actor = await grantOrgKey(officer, actor, officers);
        officers.push(actor);
      } else await admitFieldDevice(officer, actor);
      accounts.push({
        title: `${member.name} (${member.role === 'officer' ? 'officer' : 'field worker'})`,
        orgName: organisation.name,
        role: member.role,
        actor,
      });
    }
    log(`demo: ${organisation.kind} "${organisation.name}" with ${organisation.members.length} members`);
  }

  // The CSO works with every consulate and city of the scenario: they can ask it for a release.
  const csoFounders = accounts.filter(
    (account) => account.role === 'officer' && scenario.organisations.some((o) => o.kind === 'cso' && o.name === account.orgName),
  );
  // Each is a verified partner: the CSO's founder signs the statement head of each, as officers would
  // after comparing fingerprints (decision 0609).
  const firstOfOrg = <T extends { actor: { orgId: string } }>(account: T, index: number, all: T[]) =>
    all.findIndex((other) => other.actor.orgId === account.actor.orgId) === index;
  const requesters = accounts
    .filter(
      (account) => account.actor.role === 'officer' && scenario.organisations.some((o) => o.kind !== 'cso' && o.name === account.orgName),
    )
    .filter(firstOfOrg);
  for (const founder of csoFounders.filter(firstOfOrg)) {
    for (const requester of requesters) {
      const response = await addPartner(founder.actor, requester.actor);
      if (response.status !== 200) throw new Error(`demo relationship failed: ${response.status} ${await response.text()}`);
    }
  }

  const cso =
    accounts.find(
      (account) => account.actor.role === 'field' && scenario.organisations.some((o) => o.kind === 'cso' && o.name === account.orgName),
    ) ?? accounts.find((account) => scenario.organisations.some((o) => o.kind === 'cso' && o.name === account.orgName));
  if (cso) {
    const records = demoRecords(scenarioId);
    // Sealed as the field device (or officer) it is, with its author header (decision 0605).
    const response = await pushSealed(cso.actor, [...records.communities, ...records.persons]);
    if (response.status !== 200) throw new Error(`demo push failed: ${response.status} ${await response.text()}`);
    log(`demo: ${records.communities.length} communities and ${records.persons.length} people sealed and pushed by "${cso.title}"`);
  }

  const statements = accounts.map(({ actor, title }) => {
    const locked = JSON.stringify(lockMemberKeys(actor.keys, DEMO_PASSPHRASE));
    return `INSERT OR REPLACE INTO demo_accounts (member_id, title, passphrase_hint, locked_keys) VALUES (${sqlString(actor.memberId)}, ${sqlString(title)}, ${sqlString(DEMO_PASSPHRASE)}, ${sqlString(locked)});`;
  });
  const sqlFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'buffer-demo-')), 'demo-accounts.sql');
  writeFileSync(sqlFile, statements.join('\n'));
  const result = spawnSync(
    path.join(projectRoot, 'node_modules', '.bin', 'wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', sqlFile, '--yes'],
    { cwd: projectRoot, env: offlineEnv, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`demo accounts could not be written:\n${result.stdout}\n${result.stderr}`);
  return accounts;
}
