import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { needsToken } from './authenticate.js';
import { SECURITY_HEADERS } from './exposure.js';
import { logsEveryRequest } from './request-logging.js';
import type { CachedAnswer, HitReply, ResponseCache } from './response-cache.js';

/**
 * Cached answers smaller than this are sent as they are: gzip's 18-byte frame
 * and the Content-Encoding header would take most of what it saves. (The
 * 90-day delivery summary, 906 bytes of JSON, goes as 497.)
 */
export const GZIP_MIN_BYTES = 256;

/** Whether an Accept-Encoding header accepts gzip (`gzip`, `*`, not `gzip;q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name.trim() !== 'gzip' && name.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** The last Accept-Encoding header read, and whether it accepts gzip: a browser sends the same one on every request. */
const lastAcceptEncoding: { header: string | undefined; gzip: boolean } = { header: undefined, gzip: false };

/** How a kept answer goes to a client with this Accept-Encoding: gzip-compressed once it is worth it. */
export function encodingFor(answer: CachedAnswer, acceptEncoding: string | undefined): 'identity' | 'gzip' {
  if (answer.json.length < GZIP_MIN_BYTES) return 'identity';
  if (acceptEncoding !== lastAcceptEncoding.header) {
    lastAcceptEncoding.gzip = acceptsGzip(acceptEncoding);
    lastAcceptEncoding.header = acceptEncoding;
  }
  return lastAcceptEncoding.gzip ? 'gzip' : 'identity';
}

export interface KeptReadsOptions {
  cache: ResponseCache;
  /** The Host check of every request (exposure.ts). */
  hostAllowed: (header: string | undefined) => boolean;
  /** Whether reads need a token (a bind beyond loopback): then every read goes through Fastify's token check. */
  readsNeedToken: boolean;
  /** Request lines are logged at debug: at that level every request goes through Fastify, which logs them. */
  log: FastifyBaseLogger;
  /** Counts an answer in the server's metrics (metrics.ts). */
  record: (method: string, route: string, status: number, seconds: number) => void;
}

/**
 * Answers repeated reads of the dashboard's views on the HTTP server's socket,
 * before Fastify: a GET whose URL has an answer in the response cache that is
 * current (`ResponseCache.peek`) is written straight to Node's response, with
 * a head built once per answer and encoding. Everything Fastify would do for
 * such a request is done here too, or the request goes to Fastify:
 *
 * - the Host check (421 from Fastify when it fails);
 * - the token check: answered here only when the route needs none (a loopback
 *   bind, where reads need no token); otherwise Fastify checks the token and
 *   answers from the cache in the route's handler;
 * - the security headers, Vary, ETag and Cache-Control, as the handler's
 *   answers carry (a test compares them header by header);
 * - the request metrics, under the route's template;
 * - request logging: reads log only at debug, and then Fastify answers;
 * - shutdown: once the server is closing, Fastify answers (503).
 *
 * A view read is then Node's HTTP parsing, a map lookup and one write: without
 * Fastify's routing, querystring parsing, request objects and hook chain it
 * costs about a third less CPU (bench/server-reads.bench.ts). HEAD, a view not
 * yet computed, and PostgreSQL when its version was last read more than
 * `versionCheckMs` ago go to Fastify.
 */
export class KeptReads {
  /** Set by stop(): the server is closing. */
  stopped = false;
  /** Requests answered here, before Fastify (tests, diagnostics). */
  answered = 0;
  constructor(private readonly options: KeptReadsOptions) {}

  /** Puts the answering in front of Fastify's handler on `server` (Fastify's only 'request' listener). */
  install(server: Server): void {
    const listeners = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
    const [fastify] = listeners;
    if (listeners.length !== 1 || !fastify) throw new Error(`expected Fastify's request listener alone, found ${listeners.length}`);
    server.removeListener('request', fastify);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!this.answer(request, response)) fastify(request, response);
    });
  }

  /** From now on every request goes to Fastify (the server is closing: it answers 503). */
  stop(): void {
    this.stopped = true;
  }

  /** Whether the request was answered from the cache; if not, nothing was written. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET' || this.stopped) return false;
    const url = request.url ?? '';
    const { cache, hostAllowed, readsNeedToken, log, record } = this.options;
    const kept = cache.peek(url);
    if (!kept || needsToken(kept.origin.access, readsNeedToken)) return false;
    if (!hostAllowed(request.headers.host) || logsEveryRequest(log)) return false;
    const started = performance.now();
    if (kept.matches(request.headers['if-none-match'])) {
      const unchanged = kept.hitReply('notModified', () => notModifiedReply(kept));
      response.writeHead(304, unchanged.head as string[]);
      response.end();
    } else {
      const encoding = encodingFor(kept, request.headers['accept-encoding']);
      const hit = kept.hitReply(encoding, () => hitReply(kept, encoding));
      response.writeHead(200, hit.head as string[]);
      // A string body goes out with the head in one write; a Buffer would be a second chunk (writev).
      response.end(hit.body, 'latin1');
    }
    record('GET', kept.origin.route, response.statusCode, (performance.now() - started) / 1000);
    this.answered++;
    return true;
  }
}

/** What a hit writes: the head, with what Fastify's hooks and the handler would add, and the body. */
function hitReply(answer: CachedAnswer, encoding: 'identity' | 'gzip'): HitReply {
  const body = encoding === 'gzip' ? answer.gzip() : answer.json;
  const head = [
    ...hitHead(answer),
    'content-type',
    'application/json; charset=utf-8',
    ...(encoding === 'gzip' ? ['content-encoding', 'gzip'] : []),
    'content-length',
    String(body.length),
  ];
  return { head, body: body.toString('latin1') };
}

/** The head every hit carries, 200 or 304: security headers, X-Cache, Vary and the validators. */
function hitHead(answer: CachedAnswer): string[] {
  return [
    ...Object.entries(SECURITY_HEADERS).flat(),
    'x-cache',
    'hit',
    'vary',
    'accept-encoding',
    'etag',
    answer.etag(),
    'cache-control',
    'no-cache',
  ];
}

/** A hit for a client that holds the answer already (If-None-Match): 304 and no body. */
function notModifiedReply(answer: CachedAnswer): HitReply {
  return { head: hitHead(answer), body: '' };
}
