// The alert screens' side effects: import a public alert (the server parses and stores only the
// public alert) and list them; read the plans this organisation can see, for matching on the device.
import type { Plan } from '#plans';
import { expectOk } from '../api.ts';
import { connect, type Session } from '../session.ts';
import type { ImportedAlert, PlanLike } from './match.ts';

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

export async function importAlert(session: Session, upload: AlertUpload): Promise<ImportedAlert & { supersedes: string[] }> {
  const api = await connect(session);
  return (await expectOk(await api.api.alerts.$post({ json: upload as never }))) as unknown as ImportedAlert & { supersedes: string[] };
}

export async function listAlerts(session: Session, state: 'active' | 'all'): Promise<ImportedAlert[]> {
  const api = await connect(session);
  return ((await expectOk(await api.api.alerts.$get({ query: { state } }))) as unknown as { alerts: ImportedAlert[] }).alerts;
}

/** The latest version of every plan this organisation owns or was shared. */
export async function readablePlans(session: Session): Promise<PlanLike[]> {
  const api = await connect(session);
  const { plans } = (await expectOk(await api.api.plans.$get())) as unknown as { plans: { id: string }[] };
  const opened = await Promise.all(
    plans.map(async ({ id }) => {
      const record = (await expectOk(await api.api.plans[':planId'].$get({ param: { planId: id } }))) as unknown as { latest: { plan: Plan } };
      return { id, plan: record.latest.plan };
    }),
  );
  return opened;
}
