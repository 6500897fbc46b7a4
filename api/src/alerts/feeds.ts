// Alert feeds (issue 9): an organisation's officers configure public CAP or GDACS URLs; the Worker's
// cron trigger (wrangler.toml) polls the ones that are due and imports what is new, exactly as an
// upload would (import.ts). Officers can also poll a feed at once and see how the last poll went.
// Only public alerts travel here. Feed URLs are https (plain http only where the deployment allows
// it, for local runs and tests: ALLOW_HTTP_FEEDS=1) and carry no credentials.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isRealWarning } from '#plans/cap';
import { capFeedEntries } from '#plans/cap-feed';
import { requireCaller } from '../auth/middleware.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, badRequest, conflict, notFound } from '../errors.ts';
import { errorResponses, id, jsonContent, label, withErrors } from '../schemas.ts';
import { nowIso, randomToken } from '../util.ts';
import { jsonBody, validationHook } from '../validation.ts';
import {
  deleteFeed,
  dueFeeds,
  feedFormats,
  feedsFollowed,
  findFeed,
  insertFeed,
  listFeeds,
  recordPoll,
  type FeedRow,
} from '../db/alert-feeds.ts';
import { gdacsEvent, importAlert, MAX_ALERT_BYTES } from './import.ts';

export { feedFormats };

/** How long one fetch may take, how many CAP documents one index poll fetches, feeds per cron run. */
const FETCH_TIMEOUT_MS = 10_000;
/** Feeds one organisation may follow: each poll costs the Worker up to 21 fetches (issue 15). */
export const MAX_FEEDS_PER_ORG = 10;
const DOCUMENTS_PER_POLL = 20;
const FEEDS_PER_RUN = 25;
const SEEN_KEPT = 300;

const feedJson = (row: FeedRow) => ({
  id: row.id,
  label: row.label,
  url: row.url,
  format: row.format,
  intervalMinutes: row.interval_minutes,
  createdAt: row.created_at,
  lastPolledAt: row.last_polled_at,
  lastStatus: row.last_status,
  lastMessage: row.last_message,
  lastImported: row.last_imported,
});

const feedSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    url: z.string(),
    format: z.enum(feedFormats),
    intervalMinutes: z.number(),
    createdAt: z.string(),
    lastPolledAt: z.string().nullable(),
    lastStatus: z.enum(['ok', 'error']).nullable(),
    lastMessage: z.string().nullable(),
    lastImported: z.number(),
  })
  .openapi('AlertFeed');

/** imported: new real warnings only; notRealWarnings: new exercises, tests, system messages and drafts, counted apart. */
const pollResultSchema = z.object({
  status: z.enum(['ok', 'error']),
  imported: z.number(),
  notRealWarnings: z.number(),
  alreadyKnown: z.number(),
  failed: z.number(),
  message: z.string(),
});
export type PollResult = z.infer<typeof pollResultSchema>;

/** Refuses URLs this deployment must not fetch; the message says what to change. */
export function checkFeedUrl(raw: string, env: Pick<Env, 'ALLOW_HTTP_FEEDS'>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('body.url: not a URL; give the full address, starting with https://');
  }
  if (url.username || url.password) throw badRequest('body.url: a feed URL must not carry a user name or password');
  if (url.protocol === 'http:' && env.ALLOW_HTTP_FEEDS !== '1')
    throw badRequest('body.url: feeds must use https:// (plain http is allowed in local runs only)');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw badRequest(`body.url: ${url.protocol} is not a web address; feeds are fetched over https`);
  return url;
}

class FetchProblem extends Error {}

/** At most this many redirects, all on the feed's own site. */
const MAX_REDIRECTS = 3;

/**
 * Why the Worker will not fetch `url` (null: it will): only https (plain http in local runs with
 * ALLOW_HTTP_FEEDS=1), no credentials. The same rule for a feed, each document a CAP index links
 * to, and each redirect (issue 15: index entries and redirects used to escape it).
 */
export function fetchUrlProblem(url: string, allowHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.username || parsed.password) return `${url} carries a user name or password`;
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && allowHttp)) return null;
  return `${url} is not an https:// address`;
}

/**
 * GET with a time limit and a size limit; the text of a 2xx answer or a FetchProblem saying why
 * not. Redirects are followed only on the site of the first address (at most three).
 */
async function fetchText(url: string, allowHttp: boolean): Promise<string> {
  let response: Response;
  let current = url;
  for (let hops = 0; ; hops++) {
    const problem = fetchUrlProblem(current, allowHttp);
    if (problem) throw new FetchProblem(`not fetched: ${problem}`);
    try {
      response = await fetch(current, {
        headers: { accept: 'application/xml, application/json, application/atom+xml, */*;q=0.5' },
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new FetchProblem(
        `could not reach ${current}: ${(error as Error).name === 'TimeoutError' ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : (error as Error).message}`,
      );
    }
    if (response.status < 300 || response.status > 399) break;
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new FetchProblem(`${current} answered ${response.status} without a Location`);
    const next = new URL(location, current);
    if (next.origin !== new URL(url).origin)
      throw new FetchProblem(
        `${url} redirects to another site (${next.origin}); follow the feed at the address it moved to, if you trust it`,
      );
    if (hops >= MAX_REDIRECTS) throw new FetchProblem(`${url} redirects more than ${MAX_REDIRECTS} times`);
    current = next.href;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchProblem(`${url} answered ${response.status}`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ALERT_BYTES) {
      await reader.cancel();
      throw new FetchProblem(`${url} sent more than ${MAX_ALERT_BYTES / 1024 / 1024} MiB; a feed document must be smaller`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

type Outcome = 'imported' | 'notReal' | 'known' | 'failed';

async function importOne(db: D1Database, orgId: string, body: Parameters<typeof importAlert>[2], problems: string[]): Promise<Outcome> {
  try {
    // An exercise, test, system message or draft is stored, but never counted as a new alert.
    return isRealWarning(await importAlert(db, orgId, body)) ? 'imported' : 'notReal';
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return 'known';
    if (error instanceof ApiError && error.status === 400) {
      problems.push(error.message.replace(/^body\.content: /, ''));
      return 'failed';
    }
    throw error;
  }
}

/** GDACS publishes a FeatureCollection of many events; each event (type, id, episode) is one alert. */
function gdacsEvents(text: string, problems: string[]) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FetchProblem('the GDACS feed is not JSON');
  }
  const collection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).max(5000) }).safeParse(json);
  if (!collection.success) throw new FetchProblem('the GDACS feed is not a GeoJSON FeatureCollection');
  const groups = new Map<string, unknown[]>();
  for (const feature of collection.data.features) {
    const properties = (feature as { properties?: Record<string, unknown> } | null)?.properties ?? {};
    const key = `${String(properties.eventtype)}|${String(properties.eventid)}|${String(properties.episodeid ?? '')}`;
    groups.set(key, [...(groups.get(key) ?? []), feature]);
  }
  const events: z.infer<typeof gdacsEvent>[] = [];
  for (const [key, features] of groups) {
    const parsed = gdacsEvent.safeParse({ type: 'FeatureCollection', features });
    if (parsed.success) events.push(parsed.data);
    else
      problems.push(
        `GDACS event ${key.replaceAll('|', ' ')}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
  }
  return events;
}

/** Polls one feed now, imports what is new and records how it went on the feed. */
export async function pollFeed(db: D1Database, feed: FeedRow, env: Pick<Env, 'ALLOW_HTTP_FEEDS'>, now = new Date()): Promise<PollResult> {
  const allowHttp = env.ALLOW_HTTP_FEEDS === '1';
  const counts = { imported: 0, notReal: 0, known: 0, failed: 0 };
  const problems: string[] = [];
  let seen: string[] = JSON.parse(feed.seen_urls) as string[];
  let status: 'ok' | 'error' = 'ok';
  let message: string;
  try {
    const text = await fetchText(feed.url, allowHttp);
    if (feed.format === 'cap') {
      counts[await importOne(db, feed.org_id, { format: 'cap', content: text }, problems)]++;
    } else if (feed.format === 'gdacs') {
      const events = gdacsEvents(text, problems);
      counts.failed += problems.length;
      for (const event of events) counts[await importOne(db, feed.org_id, { format: 'gdacs', content: event }, problems)]++;
    } else {
      const entries = capFeedEntries(text, feed.url, 200);
      if (!entries.ok) throw new FetchProblem(entries.error.message);
      const fresh = entries.value.filter((entry) => !seen.includes(entry.url)).slice(0, DOCUMENTS_PER_POLL);
      counts.known += entries.value.length - fresh.length;
      for (const entry of fresh) {
        try {
          counts[await importOne(db, feed.org_id, { format: 'cap', content: await fetchText(entry.url, allowHttp) }, problems)]++;
          seen = [entry.url, ...seen.filter((url) => url !== entry.url)].slice(0, SEEN_KEPT);
        } catch (error) {
          if (!(error instanceof FetchProblem)) throw error;
          counts.failed++;
          problems.push(error.message);
        }
      }
    }
    const notReal = counts.notReal
      ? `${counts.notReal} ${counts.notReal === 1 ? 'not a real alert' : 'not real alerts'} (exercise, test, system message or draft), `
      : '';
    message = `${counts.imported} new, ${notReal}${counts.known} already known${counts.failed ? `, ${counts.failed} could not be read: ${problems.slice(0, 3).join('; ')}` : ''}`;
    if (counts.failed && !counts.imported && !counts.notReal && !counts.known) status = 'error';
  } catch (error) {
    if (!(error instanceof FetchProblem)) throw error;
    status = 'error';
    message = error.message;
  }
  message = message.slice(0, 500);
  await recordPoll(db, feed.id, { at: now.toISOString(), status, message, imported: counts.imported, seen });
  return { status, imported: counts.imported, notRealWarnings: counts.notReal, alreadyKnown: counts.known, failed: counts.failed, message };
}

/** The cron trigger's part: every feed whose interval has passed, a bounded number per run. */
export async function pollDueFeeds(db: D1Database, env: Pick<Env, 'ALLOW_HTTP_FEEDS'>, now = new Date()) {
  const results = await dueFeeds(db, now.toISOString(), FEEDS_PER_RUN);
  const outcomes = await Promise.allSettled(results.map((feed) => pollFeed(db, feed, env, now)));
  return outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
}

const feedIdParam = z.object({ feedId: id.openapi({ param: { name: 'feedId', in: 'path' } }) });

const listDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['alerts'],
  summary: 'The alert feeds your organisation follows, with how the last poll went (officers)',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  responses: {
    200: { description: 'Feeds', ...jsonContent(z.object({ feeds: z.array(feedSchema) })) },
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

const createDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['alerts'],
  summary:
    'Follow a public alert feed (officers): a CAP document URL, a CAP index (Atom or RSS), or a GDACS GeoJSON feed; polled by the cron trigger',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: {
    body: jsonBody(
      z.object({
        label,
        url: z.string().trim().max(2000, 'a feed URL is at most 2000 characters'),
        format: z.enum(feedFormats),
        intervalMinutes: z.number().int().min(5, 'poll at most every 5 minutes').max(1440, 'poll at least once a day').default(10),
      }),
    ),
  },
  responses: withErrors({ 201: { description: 'Following', ...jsonContent(feedSchema) } }),
});

const deleteDef = createRoute({
  method: 'delete',
  path: '/{feedId}',
  tags: ['alerts'],
  summary: 'Stop following a feed (officers); alerts already imported stay',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: feedIdParam },
  responses: withErrors({ 200: { description: 'Stopped', ...jsonContent(z.object({ deleted: z.literal(true) })) } }),
});

const pollDef = createRoute({
  method: 'post',
  path: '/{feedId}/poll',
  tags: ['alerts'],
  summary: 'Poll a feed now (officers) and say what came in',
  middleware: [requireCaller({ roles: ['officer'] })] as const,
  request: { params: feedIdParam },
  responses: withErrors({ 200: { description: 'Polled', ...jsonContent(z.object({ feed: feedSchema, result: pollResultSchema })) } }),
});

async function ownFeed(db: D1Database, orgId: string, feedId: string) {
  const row = await findFeed(db, orgId, feedId);
  if (!row) throw notFound('no such feed in your organisation');
  return row;
}

export const feedRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listDef, async (context) => {
    const feeds = await listFeeds(context.env.DB, context.get('caller').orgId);
    return context.json({ feeds: feeds.map(feedJson) }, 200);
  })
  .openapi(createDef, async (context) => {
    const body = context.req.valid('json');
    const caller = context.get('caller');
    const url = checkFeedUrl(body.url, context.env).href;
    const db = context.env.DB;
    const { taken, count: followed } = await feedsFollowed(db, caller.orgId, url);
    if (taken) throw conflict('your organisation follows this feed already');
    if (followed >= MAX_FEEDS_PER_ORG)
      throw conflict(`your organisation follows ${followed} feeds, the most it can; stop following one first`);
    const feedId = randomToken(12);
    await insertFeed(db, {
      id: feedId,
      org_id: caller.orgId,
      label: body.label,
      url,
      format: body.format,
      interval_minutes: body.intervalMinutes,
      created_by: caller.memberId,
      created_at: nowIso(),
    });
    return context.json(feedJson(await ownFeed(db, caller.orgId, feedId)), 201);
  })
  .openapi(deleteDef, async (context) => {
    const { feedId } = context.req.valid('param');
    const orgId = context.get('caller').orgId;
    await ownFeed(context.env.DB, orgId, feedId);
    await deleteFeed(context.env.DB, orgId, feedId);
    return context.json({ deleted: true as const }, 200);
  })
  .openapi(pollDef, async (context) => {
    const { feedId } = context.req.valid('param');
    const orgId = context.get('caller').orgId;
    const result = await pollFeed(context.env.DB, await ownFeed(context.env.DB, orgId, feedId), context.env);
    return context.json({ feed: feedJson(await ownFeed(context.env.DB, orgId, feedId)), result }, 200);
  });
