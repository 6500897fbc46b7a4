// CAP feeds: alerting authorities publish an index of their current CAP messages as an Atom or RSS
// feed whose entries link to the CAP XML documents (the common layout of national CAP feeds, for
// example those listed in WMO's register of alerting authorities). This reads the links; fetching
// them is the caller's job (this library does no I/O).
import { convertError, type ConvertError, fail, ok, type Result } from './result.ts';
import { children, childText, descendants, parseXml } from './xml.ts';

export interface CapFeedEntry {
  /** Absolute URL of one CAP document. */
  url: string;
  /** The entry's update time when the feed gives one (ISO 8601 as written). */
  updated?: string;
}

function absolute(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Links to CAP documents in an Atom or RSS 2.0 feed. In Atom, an entry's `link` whose type is
 * `application/cap+xml` wins, then `rel="alternate"` (or no rel); in RSS, the item's `link`.
 * Relative links are resolved against `baseUrl`. At most `limit` entries, in feed order.
 */
export function capFeedEntries(text: string, baseUrl: string, limit = 50): Result<CapFeedEntry[], ConvertError> {
  const parsed = parseXml(text, 'CAP feed');
  if (!parsed.ok) return parsed;
  const root = parsed.value.documentElement!;
  const entries: CapFeedEntry[] = [];
  if (root.localName === 'feed') {
    for (const entry of children(root, 'entry')) {
      const links = children(entry, 'link');
      const chosen =
        links.find((link) => link.getAttribute('type') === 'application/cap+xml') ??
        links.find((link) => (link.getAttribute('rel') ?? 'alternate') === 'alternate');
      const url = chosen ? absolute(chosen.getAttribute('href') ?? '', baseUrl) : undefined;
      const updated = childText(entry, 'updated');
      if (url) entries.push(updated ? { url, updated } : { url });
      if (entries.length >= limit) break;
    }
  } else if (root.localName === 'rss') {
    for (const item of descendants(root, 'item')) {
      const link = childText(item, 'link');
      const url = link ? absolute(link, baseUrl) : undefined;
      const updated = childText(item, 'pubDate');
      if (url) entries.push(updated ? { url, updated } : { url });
      if (entries.length >= limit) break;
    }
  } else if (root.localName === 'alert') {
    return fail(convertError('this is a single CAP alert, not a feed: configure the feed with the "cap" format'));
  } else {
    return fail(convertError(`a CAP feed is an Atom <feed> or an RSS <rss> document; this one starts with <${root.localName}>`));
  }
  return ok(entries);
}
