import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/database.js';
import { UnavailableError } from '../shared/errors.js';

export interface ListenOptions {
  host: string;
  port: number;
  /** How long in-flight requests may take after SIGTERM/SIGINT before they are cut. */
  graceMs: number;
}

/** When a response's request arrived (Date.now()), and how many responses a socket has still being written. */
const STARTED = Symbol('startedAt');
const BUSY = Symbol('busyResponses');
type TrackedResponse = ServerResponse & { [STARTED]?: number };
type TrackedSocket = Socket & { [BUSY]?: number };

/**
 * Listens, and on SIGTERM or SIGINT shuts down in order:
 *
 * 1. stop accepting connections (new connects are refused; a request arriving
 *    on an open keep-alive connection gets 503 and `Connection: close`);
 * 2. close idle keep-alive connections at once, and every other connection as
 *    soon as its in-flight response has been handed to the kernel, so a client
 *    that keeps its socket open cannot hold the exit;
 * 3. let in-flight requests finish within the grace period, then close the
 *    store (SQLite checkpoints its WAL; PostgreSQL connections end cleanly) and
 *    exit 0;
 * 4. if the grace period runs out first, log each request that is cut (method,
 *    URL, age), destroy its connection, close the store and exit 1.
 *
 * A computation that blocks the event loop delays all of this: routes keep
 * their work bounded (issue 9 items 1-4) so the signal is handled promptly.
 */
export async function listenUntilSignalled(app: FastifyInstance, store: Store, options: ListenOptions): Promise<string> {
  // Kept on the response and socket objects rather than in maps: this runs for every request, cache hits included.
  const inFlight = new Set<TrackedResponse>();
  const sockets = new Set<TrackedSocket>();
  let closing = false;
  app.server.on('connection', (socket: TrackedSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Observes every request next to Fastify's own handler; it never answers.
  app.server.on('request', (request: IncomingMessage, response: TrackedResponse) => {
    const socket: TrackedSocket = request.socket;
    response[STARTED] = Date.now();
    inFlight.add(response);
    socket[BUSY] = (socket[BUSY] ?? 0) + 1;
    // 'close' follows 'finish' (the last byte handed to the kernel, not the call to `end()`) on every response,
    // and comes alone when the connection is cut first: one listener, added and removed with `on`. (With `once`
    // wrappers a few KB per request outlived two young-generation collections, measured with --trace-gc, and the
    // old generation grew by megabytes a second under load.)
    const settle = () => {
      response.removeListener('close', settle);
      inFlight.delete(response);
      socket[BUSY] = (socket[BUSY] ?? 1) - 1;
      if (closing) setImmediate(closeIdleSockets);
    };
    response.on('close', settle);
    if (closing && !response.headersSent) response.setHeader('connection', 'close');
  });
  // Node's own closeIdleConnections (called by server.close() and by Fastify) counts a
  // connection as idle once `end()` was called on its response, and destroys it even
  // while megabytes of that response still wait in the socket's buffer: a large
  // response was cut off. Idle here means no response still being written.
  const closeIdleSockets = () => {
    for (const socket of sockets) if ((socket[BUSY] ?? 0) === 0) socket.destroy();
  };
  app.server.closeIdleConnections = closeIdleSockets;

  let address: string;
  try {
    address = await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UnavailableError(`cannot listen on ${options.host}:${options.port}: the address is already in use`);
    if (code === 'EACCES') throw new UnavailableError(`cannot listen on ${options.host}:${options.port}: permission denied`);
    if (code === 'EADDRNOTAVAIL') throw new UnavailableError(`cannot listen on ${options.host}:${options.port}: no such local address`);
    throw error;
  }

  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    // Every request from now on goes through Fastify, which answers 503 once it is closing (app.ts stops this too, in preClose).
    app.keptReads.stop();
    app.log.info({ signal, inFlight: inFlight.size, graceMs: options.graceMs }, 'shutting down: finishing in-flight requests');
    // Responses not yet started close their connection when done instead of keeping it alive.
    for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    const grace = setTimeout(() => {
      const now = Date.now();
      const cut = [...inFlight].map(
        (response) => `${response.req.method ?? '?'} ${response.req.url ?? '?'} (running ${now - (response[STARTED] ?? now)} ms)`,
      );
      app.log.error(
        { signal, cut },
        `shutdown grace period of ${options.graceMs} ms ran out: cutting ${cut.length} unfinished request(s): ${cut.join('; ')}`,
      );
      for (const response of inFlight) response.socket?.destroy();
      void store.close().finally(() => process.exit(1));
    }, options.graceMs);
    try {
      await app.close();
      clearTimeout(grace);
      await store.close();
      app.log.info('store closed; bye');
      process.exit(0);
    } catch (error) {
      clearTimeout(grace);
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
  return address;
}
