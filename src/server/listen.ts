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

interface InFlight {
  method: string;
  url: string;
  startedAt: number;
}

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
  const inFlight = new Map<ServerResponse, InFlight>();
  const busySockets = new Map<Socket, number>();
  const sockets = new Set<Socket>();
  let closing = false;
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      busySockets.delete(socket);
    });
  });
  // Observes every request next to Fastify's own handler; it never answers.
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    inFlight.set(response, { method: request.method ?? '?', url: request.url ?? '?', startedAt: Date.now() });
    busySockets.set(socket, (busySockets.get(socket) ?? 0) + 1);
    let done = false;
    // 'finish' fires once the last byte is handed to the kernel, not when `end()` is called.
    const settle = () => {
      if (done) return;
      done = true;
      response.removeListener('finish', settle);
      response.removeListener('close', settle);
      inFlight.delete(response);
      const left = (busySockets.get(socket) ?? 1) - 1;
      if (left > 0) busySockets.set(socket, left);
      else busySockets.delete(socket);
      if (closing) setImmediate(closeIdleSockets);
    };
    // `on` and removal in `settle`, not `once`: with `once` wrappers on the response, a few KB per request
    // outlived two young-generation collections (measured with --trace-gc) and were promoted, so the old
    // generation grew by megabytes a second under load and full collections took a third of the CPU.
    response.on('finish', settle);
    response.on('close', settle);
    if (closing && !response.headersSent) response.setHeader('connection', 'close');
  });
  // Node's own closeIdleConnections (called by server.close() and by Fastify) counts a
  // connection as idle once `end()` was called on its response, and destroys it even
  // while megabytes of that response still wait in the socket's buffer: a large
  // response was cut off. Idle here means no response still being written.
  const closeIdleSockets = () => {
    for (const socket of sockets) if (!busySockets.has(socket)) socket.destroy();
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
    app.log.info({ signal, inFlight: inFlight.size, graceMs: options.graceMs }, 'shutting down: finishing in-flight requests');
    // Responses not yet started close their connection when done instead of keeping it alive.
    for (const response of inFlight.keys()) if (!response.headersSent) response.setHeader('connection', 'close');
    const grace = setTimeout(() => {
      const now = Date.now();
      const cut = [...inFlight.values()].map((request) => `${request.method} ${request.url} (running ${now - request.startedAt} ms)`);
      app.log.error(
        { signal, cut },
        `shutdown grace period of ${options.graceMs} ms ran out: cutting ${cut.length} unfinished request(s): ${cut.join('; ')}`,
      );
      for (const response of inFlight.keys()) response.socket?.destroy();
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
