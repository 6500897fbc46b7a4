// The alert screens' side effects: import a public alert (the server parses and stores only the
// public alert) and list them; read the plans this organisation can see, for matching on the device.
import type { Plan } from '#plans';
import { expectOk } from '../api.ts';
import { connect, type Session } from '../session.ts';
import type { ImportedAlert, PlanLike } from './match.ts';
import type { AlertUpload } from './upload.ts';

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

/** A feed the organisation follows, as the API describes it (api/src/alerts/feeds.ts). */
export interface AlertFeed {
  id: string;
  label: string;
  url: string;
  format: 'cap' | 'cap-feed' | 'gdacs';
  intervalMinutes: number;
  lastPolledAt: string | null;
  lastStatus: 'ok' | 'error' | null;
  lastMessage: string | null;
  lastImported: number;
}

export async function listFeeds(session: Session): Promise<AlertFeed[]> {
  const api = await connect(session);
  return ((await expectOk(await api.api.alerts.feeds.$get())) as unknown as { feeds: AlertFeed[] }).feeds;
}

export async function followFeed(session: Session, feed: { label: string; url: string; format: AlertFeed['format']; intervalMinutes: number }): Promise<AlertFeed> {
  const api = await connect(session);
  return (await expectOk(await api.api.alerts.feeds.$post({ json: feed }))) as unknown as AlertFeed;
}

/** A poll's outcome: `imported` counts new real warnings; exercises, tests, system messages and drafts are `notRealWarnings`. */
export interface PollOutcome {
  status: 'ok' | 'error';
  imported: number;
  notRealWarnings: number;
  message: string;
}

export async function pollFeed(session: Session, feedId: string): Promise<{ feed: AlertFeed; result: PollOutcome }> {
  const api = await connect(session);
  return (await expectOk(await api.api.alerts.feeds[':feedId'].poll.$post({ param: { feedId } }))) as { feed: AlertFeed; result: PollOutcome };
}

export async function unfollowFeed(session: Session, feedId: string): Promise<void> {
  const api = await connect(session);
  await expectOk(await api.api.alerts.feeds[':feedId'].$delete({ param: { feedId } }));
}
