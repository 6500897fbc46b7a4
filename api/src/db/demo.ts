// The demo accounts of a local run (DEMO_MODE=1; scripts/lib/seed-demo.ts stores them): locked key
// files with their member's organisation. The route decides whether to answer with them.
import type { orgKinds, Role } from '../schemas.ts';

export interface DemoAccountRow {
  member_id: string;
  title: string;
  passphrase_hint: string;
  locked_keys: string;
  org_id: string;
  role: Role;
  org_name: string;
  org_kind: (typeof orgKinds)[number];
}

/** Every demo account, by kind of organisation, then title. */
export const listDemoAccounts = (db: D1Database) =>
  db
    .prepare(
      `SELECT d.member_id, d.title, d.passphrase_hint, d.locked_keys, m.org_id, m.role, o.name AS org_name, o.kind AS org_kind
       FROM demo_accounts d JOIN members m ON m.id = d.member_id JOIN orgs o ON o.id = m.org_id ORDER BY o.kind, d.title`,
    )
    .all<DemoAccountRow>()
    .then((result) => result.results);
