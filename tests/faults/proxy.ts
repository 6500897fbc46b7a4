// A loopback TCP proxy that breaks connections on purpose: in front of the Worker, it cuts a
// connection after a seeded random number of bytes of the request (the server sees half a request)
// or of the response (the server did the work; the client never hears of it), or lets it through.
// Paired with one connection per request (httpRequest below), a fault hits exactly one request.
// For clients that keep connections alive (a browser), it can also drop every open connection at
// once (`dropAll`, a network blip at whatever point each request has reached) and deliver a
// connection's request bytes a second time, later, on a new connection of its own (`replay`): the
// server gets a duplicate, out of order with what was sent in between.
import { once } from 'node:events';
import { request as httpRequestRaw } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Random } from '#fixtures';

export type Fault = { kind: 'none' } | { kind: 'cut-request'; afterBytes: number } | { kind: 'cut-response'; afterBytes: number };

export interface FaultyProxy {
  port: number;
  url: string;
  /** Where connections go; change it when the Worker restarts on another port. */
  target: { port: number };
  /** What happened to each connection, in order. */
  faults: Fault[];
  /** Request streams delivered a second time (connections the target accepted). */
  replays: { delivered: number };
  /** Cuts every open connection now, wherever its requests and responses are. */
  dropAll: () => number;
  close: () => Promise<void>;
}

export interface FaultPlan {
  /** Probability of cutting a request, and of cutting a response (the rest pass). */
  cutRequest: number;
  cutResponse: number;
  /** Largest byte offset a cut may fall at, for requests and responses. */
  maxRequestBytes: number;
  maxResponseBytes: number;
  /** Probability that a connection's request bytes are sent again after it closes (default 0). */
  replay?: number;
  /** Longest wait before a replay, in ms (drawn uniformly; default 1000). */
  maxReplayDelayMs?: number;
}

export function chooseFault(random: Random, plan: FaultPlan): Fault {
  const draw = random.next();
  if (draw < plan.cutRequest) return { kind: 'cut-request', afterBytes: 1 + Math.floor(random.next() * plan.maxRequestBytes) };
  if (draw < plan.cutRequest + plan.cutResponse)
    return { kind: 'cut-response', afterBytes: 1 + Math.floor(random.next() * plan.maxResponseBytes) };
  return { kind: 'none' };
}

/** Forwards at most `limit` bytes (Infinity: all), then cuts both sides. */
function pipeWithCut(from: Socket, to: Socket, limit: number, cut: () => void) {
  let sent = 0;
  from.on('data', (chunk: Buffer) => {
    if (sent >= limit) return;
    const room = limit - sent;
    if (chunk.length >= room) {
      sent = limit;
      to.write(chunk.subarray(0, room), cut);
      return;
    }
    sent += chunk.length;
    to.write(chunk);
  });
  from.on('end', () => to.end());
}

export async function startFaultyProxy(targetPort: number, random: Random, plan: FaultPlan): Promise<FaultyProxy> {
  const target = { port: targetPort };
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const replays = { delivered: 0 };
  let closed = false;
  /** Sends a copy of a request stream on a connection of its own; the answer is read and dropped. */
  const replayLater = (bytes: Buffer, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      const copy = createConnection({ host: '127.0.0.1', port: target.port });
      sockets.add(copy);
      copy.on('connect', () => {
        replays.delivered++;
        copy.end(bytes);
      });
      copy.on('data', () => undefined);
      copy.on('error', () => copy.destroy());
      copy.on('close', () => sockets.delete(copy));
    }, delayMs);
    timers.add(timer);
  };
  const server: Server = createServer((client) => {
    const fault = chooseFault(random, plan);
    faults.push(fault);
    // Drawn with the fault, so the n-th connection's fate depends on the seed only (and plans
    // without replays draw nothing more than before).
    const replayDelay =
      (plan.replay ?? 0) > 0 && random.next() < plan.replay! ? Math.floor(random.next() * (plan.maxReplayDelayMs ?? 1000)) : null;
    const forwarded: Buffer[] = [];
    if (replayDelay !== null) {
      client.on('data', (chunk: Buffer) => forwarded.push(chunk));
      client.on('close', () => {
        if (forwarded.length > 0) replayLater(Buffer.concat(forwarded), replayDelay);
      });
    }
    const upstream = createConnection({ host: '127.0.0.1', port: target.port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    pipeWithCut(client, upstream, fault.kind === 'cut-request' ? fault.afterBytes : Infinity, cut);
    pipeWithCut(upstream, client, fault.kind === 'cut-response' ? fault.afterBytes : Infinity, cut);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    target,
    faults,
    replays,
    dropAll: () => {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** One HTTP request on its own connection (no keep-alive), so a cut connection is one failed request. */
export function httpRequest(
  url: string,
  method: string,
  path: string,
  body: string | null,
  headers: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const request = httpRequestRaw(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(body !== null ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (!response.complete) reject(new Error('response cut short'));
          else resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}
