import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A bounded HTTP/1.1 load generator for benchmarks: `connections` keep-alive
 * sockets, each with one request in flight at a time (no pipelining), for
 * `durationMs`. It writes prebuilt request bytes and reads responses by
 * Content-Length on raw sockets, so it costs the client far less CPU than
 * node:http would (on a 2-core machine the client shares the CPU with the
 * server under test). Requests still unanswered at the end are reported, not
 * counted.
 */
export interface LoadOptions {
  port: number;
  connections: number;
  durationMs: number;
  /** Paths each connection cycles through (connection i starts at path i). */
  paths: readonly string[];
  /** Pause between a response and the next request on a connection (a probe); 0 by default. */
  pauseMs?: number;
  /** Extra request headers, e.g. { 'accept-encoding': 'gzip' } as browsers send. */
  headers?: Record<string, string>;
  /**
   * Behave as a browser's HTTP cache: keep each path's ETag from its last 200
   * and send it as If-None-Match (per connection), so unchanged answers come
   * back as 304 with no body and changed ones replace what is held.
   */
  revalidate?: boolean;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Responses with a status other than 2xx or 304 (Not Modified), and socket errors. */
  errors: number;
  /** Requests still unanswered when the run ended. */
  unanswered: number;
  /** Answers with `x-cache: hit` and `x-cache: miss` (Sextant's cached views). */
  cacheHits: number;
  cacheMisses: number;
  /** Answers 304 Not Modified (a client revalidating what it holds). */
  notModified: number;
  /** Response bytes read (headers and bodies), per answered request. */
  bytesPerRequest: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

const HEADER_END = Buffer.from('\r\n\r\n');

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let cacheHits = 0;
  let cacheMisses = 0;
  let notModified = 0;
  let unanswered = 0;
  let bytes = 0;
  const request = (p: string, etag?: string) =>
    Buffer.from(
      `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\nAccept: application/json\r\n` +
        Object.entries({ ...options.headers, ...(etag === undefined ? {} : { 'if-none-match': etag }) })
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('') +
        'Connection: keep-alive\r\n\r\n',
      'latin1',
    );
  const requests = options.paths.map((p) => request(p));
  const start = performance.now();
  const deadline = start + options.durationMs;

  const connection = (index: number) =>
    new Promise<void>((resolve) => {
      let next = index % requests.length;
      // This connection's held answers (revalidate): the request to send for each path, with its ETag once known.
      const held = [...requests];
      let asked = next;
      let buffered: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      let waiting = false;
      const socket = net.connect(options.port, '127.0.0.1');
      socket.setNoDelay(true);
      const finish = () => {
        if (waiting) unanswered++;
        waiting = false;
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, deadline - performance.now()));
      const send = () => {
        if (performance.now() >= deadline) return finish();
        waiting = true;
        sentAt = performance.now();
        socket.write(held[next] as Buffer);
        asked = next;
        next = (next + 1) % requests.length;
      };
      socket.on('connect', send);
      socket.on('error', () => {
        errors++;
        waiting = false;
        clearTimeout(timer);
        finish();
      });
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        const headerEnd = buffered.indexOf(HEADER_END);
        if (headerEnd < 0) return;
        const rawHead = buffered.toString('latin1', 0, headerEnd);
        const head = rawHead.toLowerCase();
        const status = Number(head.slice(9, 12));
        const length = /\r\ncontent-length: *(\d+)/.exec(head);
        // A 304 has no body, whatever it says of the representation's length.
        if (!length && status !== 304) throw new Error(`response without Content-Length: ${head.slice(0, 200)}`);
        const total = headerEnd + 4 + (status === 304 || !length ? 0 : Number(length[1]));
        if (buffered.length < total) return;
        if (buffered.length > total) throw new Error('more bytes than one response: the server answered twice');
        buffered = Buffer.alloc(0);
        waiting = false;
        const now = performance.now();
        if (now > deadline) return finish();
        latencies.push(now - sentAt);
        bytes += total;
        if (options.revalidate && status === 200) {
          // From the head as sent: `head` is lower-cased, an entity tag is case-sensitive.
          const etag = /\r\netag: *([^\r]+)/i.exec(rawHead)?.[1];
          if (etag !== undefined) held[asked] = request(options.paths[asked] as string, etag);
        }
        if (status === 304) notModified++;
        else if (status < 200 || status > 299) errors++;
        if (head.includes('\r\nx-cache: hit')) cacheHits++;
        else if (head.includes('\r\nx-cache: miss')) cacheMisses++;
        if (options.pauseMs) setTimeout(send, options.pauseMs);
        else send();
      });
    });

  await Promise.all(Array.from({ length: options.connections }, (_, i) => connection(i)));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    errors,
    unanswered,
    cacheHits,
    cacheMisses,
    notModified,
    bytesPerRequest: latencies.length > 0 ? bytes / latencies.length : 0,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: latencies.at(-1) ?? NaN },
  };
}
