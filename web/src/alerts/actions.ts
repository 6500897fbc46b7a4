// The alert screens' side effects: import a public alert (the server parses and stores only the
// public alert) and list them; read the plans this organisation can see, for matching on the device.
import { expectOk } from '../api.ts';
import type { AlertBody, AlertFeed, AlertImport, FeedPoll } from '../api-types.ts';
import { connect, type Session } from '../session.ts';
import type { ImportedAlert, PlanLike } from './match.ts';
import type { AlertUpload } from './upload.ts';

export async function importAlert(session: Session, upload: AlertUpload): Promise<AlertImport> {
  const api = await connect(session);
  // A GDACS file's JSON goes unchecked: the import route validates it and says what is wrong (a copy of its schema here would be a second model).
  return expectOk(await api.api.alerts.$post({ json: upload as AlertBody }));
}

export async function listAlerts(session: Session, state: 'active' | 'all'): Promise<ImportedAlert[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.alerts.$get({ query: { state } }))).alerts;
}

/** The latest version of every plan this organisation owns or was shared. */
export async function readablePlans(session: Session): Promise<PlanLike[]> {
  const api = await connect(session);
  const { plans } = await expectOk(await api.api.plans.$get());
  const opened = await Promise.all(
    plans.map(async ({ id }) => {
      const { latest } = await expectOk(await api.api.plans[':planId'].$get({ param: { planId: id } }));
      if (!latest) throw new Error(`the server sent plan ${id} without its latest version`);
      return { id, plan: latest.plan };
    }),
  );
  return opened;
}

/** A feed the organisation follows, as the API describes it (api-types.ts). */
export type { AlertFeed };
/** A poll's outcome: `imported` counts new real warnings; exercises, tests, system messages and drafts are `notRealWarnings`. */
export type PollOutcome = FeedPoll['result'];

export async function listFeeds(session: Session): Promise<AlertFeed[]> {
  const api = await connect(session);
  return (await expectOk(await api.api.alerts.feeds.$get())).feeds;
}

export async function followFeed(
  session: Session,
  feed: { label: string; url: string; format: AlertFeed['format']; intervalMinutes: number },
): Promise<AlertFeed> {
  const api = await connect(session);
  return expectOk(await api.api.alerts.feeds.$post({ json: feed }));
}

export async function pollFeed(session: Session, feedId: string): Promise<FeedPoll> {
  const api = await connect(session);
  return expectOk(await api.api.alerts.feeds[':feedId'].poll.$post({ param: { feedId } }));
}

export async function unfollowFeed(session: Session, feedId: string): Promise<void> {
  const api = await connect(session);
  await expectOk(await api.api.alerts.feeds[':feedId'].$delete({ param: { feedId } }));
}
