// Query helpers for the alert feeds an organisation follows (decision 0703); polling them is
// api/src/alerts/feeds.ts.

export const feedFormats = ['cap', 'cap-feed', 'gdacs'] as const;
export type FeedFormat = (typeof feedFormats)[number];

export interface FeedRow {
  id: string;
  org_id: string;
  label: string;
  url: string;
  format: FeedFormat;
  interval_minutes: number;
  created_at: string;
  last_polled_at: string | null;
  last_status: 'ok' | 'error' | null;
  last_message: string | null;
  last_imported: number;
  seen_urls: string;
}

/** One feed of the organisation's, or null (another organisation's feed is null too). */
export const findFeed = (db: D1Database, orgId: string, feedId: string) =>
  db.prepare('SELECT * FROM alert_feeds WHERE id = ? AND org_id = ?').bind(feedId, orgId).first<FeedRow>();

/** The organisation's feeds, oldest first. */
export const listFeeds = (db: D1Database, orgId: string) =>
  db
    .prepare('SELECT * FROM alert_feeds WHERE org_id = ? ORDER BY created_at')
    .bind(orgId)
    .all<FeedRow>()
    .then((result) => result.results);

/** Whether the organisation follows `url` already, and how many feeds it follows. */
export async function feedsFollowed(db: D1Database, orgId: string, url: string): Promise<{ taken: boolean; count: number }> {
  const [taken, count] = await db.batch<{ n: number }>([
    db.prepare('SELECT COUNT(*) AS n FROM alert_feeds WHERE org_id = ? AND url = ?').bind(orgId, url),
    db.prepare('SELECT COUNT(*) AS n FROM alert_feeds WHERE org_id = ?').bind(orgId),
  ]);
  return { taken: (taken?.results[0]?.n ?? 0) > 0, count: count?.results[0]?.n ?? 0 };
}

export const insertFeed = (
  db: D1Database,
  feed: Pick<FeedRow, 'id' | 'org_id' | 'label' | 'url' | 'format' | 'interval_minutes' | 'created_at'> & { created_by: string },
) =>
  db
    .prepare(
      "INSERT INTO alert_feeds (id, org_id, label, url, format, interval_minutes, created_by, created_at, seen_urls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]')",
    )
    .bind(feed.id, feed.org_id, feed.label, feed.url, feed.format, feed.interval_minutes, feed.created_by, feed.created_at)
    .run();

/** Stops following a feed of the organisation's; true when there was one. */
export const deleteFeed = (db: D1Database, orgId: string, feedId: string) =>
  db
    .prepare('DELETE FROM alert_feeds WHERE id = ? AND org_id = ?')
    .bind(feedId, orgId)
    .run()
    .then((result) => result.meta.changes > 0);

/** What the last poll of a feed found, and the entry addresses it has seen. */
export const recordPoll = (
  db: D1Database,
  feedId: string,
  poll: { at: string; status: 'ok' | 'error'; message: string; imported: number; seen: readonly string[] },
) =>
  db
    .prepare('UPDATE alert_feeds SET last_polled_at = ?, last_status = ?, last_message = ?, last_imported = ?, seen_urls = ? WHERE id = ?')
    .bind(poll.at, poll.status, poll.message, poll.imported, JSON.stringify(poll.seen), feedId)
    .run();

/** Feeds whose interval has passed at `now` (never polled first, then the longest waiting), at most `limit`. */
export const dueFeeds = (db: D1Database, now: string, limit: number) =>
  db
    .prepare(
      `SELECT * FROM alert_feeds
       WHERE last_polled_at IS NULL OR datetime(last_polled_at, '+' || interval_minutes || ' minutes') <= datetime(?)
       ORDER BY last_polled_at IS NOT NULL, last_polled_at LIMIT ?`,
    )
    .bind(now, limit)
    .all<FeedRow>()
    .then((result) => result.results);
