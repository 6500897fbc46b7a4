// The alert-feed helpers (db/alert-feeds.ts) on their own, against a real D1 (decision 0807): one
// organisation never sees or removes another's feed, and the cron takes only the feeds that are due.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFeed, dueFeeds, feedsFollowed, findFeed, insertFeed, listFeeds, recordPoll } from '../../api/src/db/alert-feeds.ts';
import { localD1, type LocalD1, seedOrg } from '../support/d1.ts';

let d1: LocalD1;
let db: D1Database;
let officerA: string;
let officerB: string;

const feed = (id: string, org: string, by: string, url: string, minutes: number, at: string) =>
  insertFeed(db, { id, org_id: org, label: id, url, format: 'cap', interval_minutes: minutes, created_by: by, created_at: at });

beforeAll(async () => {
  d1 = await localD1();
  db = d1.db;
  officerA = await seedOrg(db, 'cso-feeds-a', 'cso', 'Feeds A');
  officerB = await seedOrg(db, 'city-feeds-b', 'city', 'Feeds B');
  await feed('feed-a1', 'cso-feeds-a', officerA, 'https://alerts.example/a1.xml', 15, '2026-12-01T08:00:00.000Z');
  await feed('feed-a2', 'cso-feeds-a', officerA, 'https://alerts.example/a2.xml', 60, '2026-12-01T09:00:00.000Z');
  await feed('feed-b1', 'city-feeds-b', officerB, 'https://alerts.example/a1.xml', 15, '2026-12-01T10:00:00.000Z');
});
afterAll(async () => {
  await d1?.dispose();
});

describe('alert feeds', () => {
  it("lists and finds only the organisation's own feeds", async () => {
    expect((await listFeeds(db, 'cso-feeds-a')).map((row) => row.id)).toEqual(['feed-a1', 'feed-a2']);
    expect((await findFeed(db, 'cso-feeds-a', 'feed-a1'))?.url).toBe('https://alerts.example/a1.xml');
    expect(await findFeed(db, 'cso-feeds-a', 'feed-b1')).toBeNull();
  });

  it('says whether a URL is followed already, and how many feeds the organisation follows', async () => {
    expect(await feedsFollowed(db, 'cso-feeds-a', 'https://alerts.example/a1.xml')).toEqual({ taken: true, count: 2 });
    expect(await feedsFollowed(db, 'cso-feeds-a', 'https://alerts.example/new.xml')).toEqual({ taken: false, count: 2 });
  });

  it('takes the feeds that are due: never polled first, then the longest waiting; a polled feed waits its interval', async () => {
    const now = '2026-12-01T12:00:00.000Z';
    expect((await dueFeeds(db, now, 25)).map((row) => row.id)).toEqual(['feed-a1', 'feed-a2', 'feed-b1']);
    await recordPoll(db, 'feed-a1', { at: '2026-12-01T11:50:00.000Z', status: 'ok', message: '1 new', imported: 1, seen: ['u1'] });
    await recordPoll(db, 'feed-a2', { at: '2026-12-01T10:30:00.000Z', status: 'error', message: 'timed out', imported: 0, seen: [] });
    // a1 was polled 10 minutes ago (interval 15): not due; a2 90 minutes ago (interval 60): due, after the never-polled b1.
    expect((await dueFeeds(db, now, 25)).map((row) => row.id)).toEqual(['feed-b1', 'feed-a2']);
    expect((await dueFeeds(db, now, 1)).map((row) => row.id)).toEqual(['feed-b1']);
    const polled = await findFeed(db, 'cso-feeds-a', 'feed-a1');
    expect(polled).toMatchObject({ last_status: 'ok', last_message: '1 new', last_imported: 1, seen_urls: '["u1"]' });
  });

  it('removes a feed only for its own organisation', async () => {
    expect(await deleteFeed(db, 'cso-feeds-a', 'feed-b1')).toBe(false);
    expect(await findFeed(db, 'city-feeds-b', 'feed-b1')).not.toBeNull();
    expect(await deleteFeed(db, 'cso-feeds-a', 'feed-a2')).toBe(true);
    expect(await deleteFeed(db, 'cso-feeds-a', 'feed-a2')).toBe(false);
  });
});
