import { describe, expect, it } from 'vitest';
import { basemapConfigFrom, headersWithTileOrigin } from './basemap-config.ts';

const headers = `/*
  Content-Security-Policy: default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'
  X-Frame-Options: DENY
`;

describe('basemap configuration at build time', () => {
  it('offers nothing and changes no policy by default', () => {
    expect(basemapConfigFrom({})).toEqual({ config: { tiles: null, attribution: '', host: null }, cspOrigin: null });
    expect(headersWithTileOrigin(headers, null)).toBe(headers);
  });

  it('takes tiles on this site without touching the policy', () => {
    expect(basemapConfigFrom({ BASEMAP_TILES: '/tiles/{z}/{x}/{y}.png' })).toEqual({
      config: { tiles: '/tiles/{z}/{x}/{y}.png', attribution: '', host: null },
      cspOrigin: null,
    });
  });

  it('allows exactly the origin of an online source, for images and fetches only', () => {
    const { config, cspOrigin } = basemapConfigFrom({
      BASEMAP_TILES: 'https://tiles.example.org/osm/{z}/{x}/{y}.png',
      BASEMAP_ATTRIBUTION: '© OpenStreetMap contributors',
    });
    expect(config).toEqual({
      tiles: 'https://tiles.example.org/osm/{z}/{x}/{y}.png',
      attribution: '© OpenStreetMap contributors',
      host: 'tiles.example.org',
    });
    expect(cspOrigin).toBe('https://tiles.example.org');
    const policy = headersWithTileOrigin(headers, cspOrigin);
    expect(policy).toContain("img-src 'self' data: blob: https://tiles.example.org;");
    expect(policy).toContain("connect-src 'self' https://tiles.example.org;");
    expect(policy).toContain("default-src 'self';");
    expect(policy).toContain('X-Frame-Options: DENY');
  });

  it('refuses what a deployment must not ship, saying what to fix', () => {
    const attempt = (env: Record<string, string>) => () => basemapConfigFrom(env);
    expect(attempt({ BASEMAP_TILES: 'https://tiles.example.org/{z}/{x}.png', BASEMAP_ATTRIBUTION: 'x' })).toThrow(/no \{y\}/);
    expect(attempt({ BASEMAP_TILES: 'http://tiles.example.org/{z}/{x}/{y}.png', BASEMAP_ATTRIBUTION: 'x' })).toThrow(/https/);
    expect(attempt({ BASEMAP_TILES: 'https://key:secret@tiles.example.org/{z}/{x}/{y}.png', BASEMAP_ATTRIBUTION: 'x' })).toThrow(
      /password/,
    );
    expect(attempt({ BASEMAP_TILES: 'https://tiles.example.org/{z}/{x}/{y}.png' })).toThrow(/BASEMAP_ATTRIBUTION/);
    expect(attempt({ BASEMAP_TILES: '//tiles.example.org/{z}/{x}/{y}.png', BASEMAP_ATTRIBUTION: 'x' })).toThrow(/neither a path/);
    expect(basemapConfigFrom({ BASEMAP_TILES: 'http://127.0.0.1:9000/{z}/{x}/{y}.png', BASEMAP_ATTRIBUTION: 'test' }).cspOrigin).toBe(
      'http://127.0.0.1:9000',
    );
    expect(() => headersWithTileOrigin('/*\n  X-Frame-Options: DENY\n', 'https://a.example')).toThrow(/Content-Security-Policy/);
  });
});
