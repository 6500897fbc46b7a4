// The alert feeds an organisation follows (officers): add one (name, address, kind, interval), see
// how its last poll went, poll it now, stop following it. The server does the polling (cron
// trigger); this screen only configures it. Feed addresses are public URLs, never personal data.
import { useEffect, useState } from 'preact/hooks';
import { formatDate } from '../i18n/index.ts';
import type { Session } from '../session.ts';
import * as actions from './actions.ts';
import { m, type AlertMessageKey } from './messages.ts';

const formats = ['cap-feed', 'cap', 'gdacs'] as const;

export function FeedsPanel({
  session,
  onImported,
  onError,
  onSuccess,
}: {
  session: Session;
  onImported: () => void;
  onError: (error: unknown) => void;
  onSuccess: () => void;
}) {
  const [feeds, setFeeds] = useState<actions.AlertFeed[]>([]);
  const [status, setShownStatus] = useState<string | null>(null);
  /** A success here replaces any earlier error shown by the workspace. */
  const setStatus = (text: string) => {
    setShownStatus(text);
    onSuccess();
  };
  const [busy, setBusy] = useState<string | null>(null);

  const reload = () => actions.listFeeds(session).then(setFeeds, onError);
  useEffect(() => void reload(), [session]);

  async function follow(form: HTMLFormElement) {
    const data = new FormData(form);
    setBusy('add');
    try {
      const feed = await actions.followFeed(session, {
        label: String(data.get('label') ?? ''),
        url: String(data.get('url') ?? ''),
        format: String(data.get('format')) as actions.AlertFeed['format'],
        intervalMinutes: Number(data.get('intervalMinutes')),
      });
      setStatus(m('feeds.added', { label: feed.label, minutes: feed.intervalMinutes }));
      form.reset();
      await reload();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(null);
    }
  }

  async function poll(feed: actions.AlertFeed) {
    setBusy(feed.id);
    try {
      const { result } = await actions.pollFeed(session, feed.id);
      // The feed's "last poll" line is refreshed before the status says the poll is done, so the
      // screen never shows a finished poll beside a stale "not polled yet".
      await reload();
      setStatus(m('feeds.polled', { label: feed.label, message: result.message }));
      // Exercises and tests are counted apart from new alerts, but are listed all the same.
      if (result.imported + result.notRealWarnings > 0) onImported();
    } catch (error) {
      onError(error);
    } finally {
      setBusy(null);
    }
  }

  async function unfollow(feed: actions.AlertFeed) {
    if (!confirm(m('feeds.removeConfirm', { label: feed.label }))) return;
    try {
      await actions.unfollowFeed(session, feed.id);
      await reload();
    } catch (error) {
      onError(error);
    }
  }

  return (
    <details class="feeds" data-testid="alert-feeds">
      <summary>
        {m('feeds.title')} ({feeds.length})
      </summary>
      <p class="hint">{m('feeds.hint')}</p>
      {status && (
        <p class="status-line" role="status" data-testid="feeds-status">
          {status}
        </p>
      )}
      {feeds.length === 0 && <p class="hint">{m('feeds.none')}</p>}
      <ul class="feed-list">
        {feeds.map((feed) => (
          <li key={feed.id} data-testid="feed-item" class={feed.lastStatus === 'error' ? 'feed error' : 'feed'}>
            <strong>{feed.label}</strong> <small>{m(`feeds.format.${feed.format}` as AlertMessageKey)}</small>
            <br />
            <small class="feed-url">{feed.url}</small>
            <br />
            <small data-testid="feed-last">
              {feed.lastPolledAt
                ? m('feeds.last', { time: formatDate(feed.lastPolledAt), message: feed.lastMessage ?? '' })
                : m('feeds.never')}
            </small>
            <p class="row">
              <button type="button" class="secondary small" disabled={busy === feed.id} onClick={() => void poll(feed)}>
                {m('feeds.poll')}
              </button>
              <button type="button" class="secondary small" onClick={() => void unfollow(feed)}>
                {m('feeds.remove')}
              </button>
            </p>
          </li>
        ))}
      </ul>
      <form
        class="feed-form"
        data-testid="feed-form"
        onSubmit={(event) => {
          event.preventDefault();
          void follow(event.currentTarget);
        }}
      >
        <label>
          {m('feeds.label')}
          <input name="label" required maxLength={80} />
        </label>
        <label>
          {m('feeds.url')}
          <input name="url" type="url" required maxLength={2000} />
        </label>
        <label>
          {m('feeds.format')}
          <select name="format">
            {formats.map((format) => (
              <option key={format} value={format}>
                {m(`feeds.format.${format}` as AlertMessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {m('feeds.interval')}
          <input name="intervalMinutes" type="number" min={5} max={1440} value={10} required />
        </label>
        <button type="submit" disabled={busy === 'add'}>
          {m('feeds.add')}
        </button>
      </form>
    </details>
  );
}
