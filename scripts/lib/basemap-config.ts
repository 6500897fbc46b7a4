// The basemap a deployment offers besides the embedded offline one (issue 6, decision 0406): a
// raster tile source named at build time by BASEMAP_TILES (an XYZ URL template) and
// BASEMAP_ATTRIBUTION. The build writes it to dist/web/basemap.json for the client and, when the
// tiles come from another origin, adds exactly that origin to the page's Content-Security-Policy.
// Nothing is configured by default: the map then asks nothing of any server.

export interface BasemapConfig {
  /** XYZ template, e.g. "https://tiles.example.org/{z}/{x}/{y}.png" or "/tiles/{z}/{x}/{y}.png"; null: none. */
  tiles: string | null;
  attribution: string;
  /** The host shown in the settings ("the tile server learns where you look"). */
  host: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Reads the build environment; throws with a message saying what to fix. */
export function basemapConfigFrom(env: Record<string, string | undefined>): { config: BasemapConfig; cspOrigin: string | null } {
  const template = env.BASEMAP_TILES?.trim();
  if (!template) return { config: { tiles: null, attribution: '', host: null }, cspOrigin: null };
  for (const part of ['{z}', '{x}', '{y}']) {
    if (!template.includes(part))
      throw new Error(`BASEMAP_TILES must be an XYZ URL template with {z}, {x} and {y}; "${template}" has no ${part}`);
  }
  const attribution = (env.BASEMAP_ATTRIBUTION ?? '').trim().slice(0, 200);
  if (template.startsWith('/') && !template.startsWith('//'))
    return { config: { tiles: template, attribution, host: null }, cspOrigin: null };
  let url: URL;
  try {
    url = new URL(template.replace(/[{}]/g, ''));
  } catch {
    throw new Error(`BASEMAP_TILES is neither a path on this site (/tiles/{z}/{x}/{y}.png) nor a full URL: "${template}"`);
  }
  if (url.username || url.password) throw new Error('BASEMAP_TILES must not carry a user name or password (it is public, in the page)');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new Error(`BASEMAP_TILES must use https:// (plain http only on this machine, for tests); got ${url.protocol}`);
  }
  if (!attribution)
    throw new Error(
      'BASEMAP_ATTRIBUTION is required with an online tile source (tile providers require credit, e.g. "© OpenStreetMap contributors")',
    );
  return { config: { tiles: template, attribution, host: url.host }, cspOrigin: url.origin };
}

/** The _headers file with `origin` added to img-src and connect-src of its Content-Security-Policy. */
export function headersWithTileOrigin(headers: string, origin: string | null): string {
  if (!origin) return headers;
  let changed = 0;
  const result = headers.replace(/^(\s*Content-Security-Policy:)(.*)$/m, (_, name: string, policy: string) => {
    const directives = policy.split(';').map((directive) => {
      const [directiveName] = directive.trim().split(/\s+/);
      if (directiveName === 'img-src' || directiveName === 'connect-src') {
        changed++;
        return `${directive.trimEnd()} ${origin}`;
      }
      return directive;
    });
    return name + directives.join(';');
  });
  if (changed !== 2) throw new Error('web/public/_headers: the Content-Security-Policy has no img-src or connect-src to extend');
  return result;
}
