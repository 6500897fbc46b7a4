// A small HTTP server on loopback, for tests and benchmarks that need a stand-in for someone else's
// service: an alerting authority's feed, a tile server, the CSO's SMS gateway phone, a plain baseline.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  /** http://127.0.0.1:port */
  origin: string;
  /** Stops it, cutting any connection still open. */
  close(): Promise<void>;
}

export async function serveOnLoopback(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
