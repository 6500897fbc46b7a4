// Query helpers for imported public alerts (issue 9). Importing one (parse, store, follow CAP's
// Update and Cancel) is api/src/alerts/import.ts.

export interface AlertRow {
  id: string;
  source: string;
  identifier: string;
  sender: string;
  sent: string;
  msg_type: string;
  state: string;
  alert: string;
  imported_at: string;
}

/** The organisation's alerts, active ones first, then newest sent first (at most 500); `active` leaves out the others. */
export const listAlerts = (db: D1Database, orgId: string, state: 'active' | 'all') =>
  db
    .prepare(
      `SELECT * FROM alerts WHERE org_id = ? ${state === 'active' ? "AND state = 'active'" : ''} ORDER BY state = 'active' DESC, sent DESC LIMIT 500`,
    )
    .bind(orgId)
    .all<AlertRow>()
    .then((result) => result.results);
