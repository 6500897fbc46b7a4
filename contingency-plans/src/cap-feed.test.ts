import { describe, expect, it } from 'vitest';
import { capFeedEntries } from './cap-feed.ts';

const atom = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Alerts</title>
  <entry><id>a</id><updated>2026-11-30T10:00:00Z</updated>
    <link rel="alternate" href="https://alerts.example/page/a.html" type="text/html"/>
    <link rel="related" href="cap/a.xml" type="application/cap+xml"/></entry>
  <entry><id>b</id><link href="/cap/b.xml"/></entry>
  <entry><id>c</id><link rel="alternate" href="javascript:alert(1)"/></entry>
</feed>`;

const rss = `<rss version="2.0"><channel><title>x</title>
  <item><title>one</title><link>https://alerts.example/cap/1.xml</link><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item>
  <item><title>no link</title></item>
  <item><link>cap/2.xml</link></item>
</channel></rss>`;

describe('CAP feed index', () => {
  it('reads Atom entries, preferring the application/cap+xml link and resolving relative ones', () => {
    const result = capFeedEntries(atom, 'https://alerts.example/feeds/atom.xml');
    expect(result).toEqual({
      ok: true,
      value: [
        { url: 'https://alerts.example/feeds/cap/a.xml', updated: '2026-11-30T10:00:00Z' },
        { url: 'https://alerts.example/cap/b.xml' },
      ],
    });
  });

  it('reads RSS items and skips items without a link', () => {
    const result = capFeedEntries(rss, 'https://alerts.example/rss');
    expect(result.ok && result.value.map((entry) => entry.url)).toEqual([
      'https://alerts.example/cap/1.xml',
      'https://alerts.example/cap/2.xml',
    ]);
  });

  it('caps the number of entries', () => {
    const result = capFeedEntries(atom, 'https://alerts.example/', 1);
    expect(result.ok && result.value.length).toBe(1);
  });

  it('says what is wrong with a document that is not a feed', () => {
    const single = capFeedEntries(
      '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>',
      'https://a.example/',
    );
    expect(single.ok).toBe(false);
    expect(!single.ok && single.error.message).toMatch(/single CAP alert/);
    const html = capFeedEntries('<html><body/></html>', 'https://a.example/');
    expect(!html.ok && html.error.message).toMatch(/<html>/);
    expect(capFeedEntries('<feed><entry>', 'https://a.example/').ok).toBe(false);
  });
});
