// What `npm start`'s port answers while the demo is being loaded: a page that says so and reloads
// itself once the Worker answers, and /api/health = 503 {"status":"loading"}, so neither a browser nor a script meets a
// half-seeded organisation. Plain node:http on the same address the Worker takes afterwards.
import { once } from 'node:events';
import { createServer } from 'node:http';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export interface LoadingPage {
  setStep: (text: string) => void;
  close: () => Promise<void>;
}

export async function serveLoadingPage(port: number, scenarioId: string): Promise<LoadingPage> {
  let step = 'starting…';
  const server = createServer((request, response) => {
    const body = { status: 'loading', scenario: scenarioId, step };
    if (request.url?.startsWith('/api/')) {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2', 'cache-control': 'no-store' });
      response.end(
        JSON.stringify(
          request.url.startsWith('/api/health')
            ? body
            : { error: { code: 'demo_loading', message: `The demo is still loading (${step}). Try again in a few seconds.` } },
        ),
      );
      return;
    }
    response.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '2', 'cache-control': 'no-store' });
    response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<noscript><meta http-equiv="refresh" content="3"></noscript>
<title>Loading the demo…</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Loading the demo…</h1>
<p>Buffer is loading the <strong>${escapeHtml(scenarioId)}</strong> demo scenario through its own API. This page reloads by itself and opens the app when the demo is ready.</p>
<p role="status">${escapeHtml(step)}</p>
<script>
// Reload once the Worker answers; between this page closing and the Worker starting there is a
// moment with nothing on the port, which a plain refresh would turn into a browser error page.
setInterval(() => fetch('/api/health', { cache: 'no-store' }).then((response) => { if (response.ok) location.reload(); }, () => undefined), 1500);
</script>
</body></html>`);
  });
  server.listen(port, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw new Error(`port ${port} is taken (${(error as Error).message}); choose another with npm start -- --port N`);
    }),
  ]);
  return {
    setStep: (text) => {
      step = text;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
