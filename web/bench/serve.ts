// Node side of the harness: builds web/bench with Vite into a directory and serves it on loopback.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serveOnLoopback } from '../../tests/support/local-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildHarness(outDir: string) {
  await build({
    configFile: false,
    root: here,
    base: '/',
    publicDir: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 10_000,
      rollupOptions: { input: path.join(here, 'index.html') },
    },
  });
}

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function serveDirectory(directory: string): Promise<{ url: string; close: () => Promise<void> }> {
  return serveOnLoopback((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    let file = path.join(directory, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(directory) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(directory, 'index.html');
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  }).then((server) => ({ url: `${server.origin}/`, close: server.close }));
}
