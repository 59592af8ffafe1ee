import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { formatFieldPath } from '../shared/field-path.js';
import { findTextProblems } from '../shared/text.js';
import type { Access, RouteSpec } from '../kit/routes.js';
import { SECURITY_HEADERS } from './exposure.js';
import type { CachedAnswer, HitReply, ResponseCache } from './response-cache.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** JSON bodies as received, for handlers that check a signature over the bytes (webhooks). */
const rawBodies = new WeakMap<FastifyRequest, string>();

/** Fastify's own JSON parser, also keeping the raw text of each body. */
function keepRawJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    rawBodies.set(request, body as string);
    parseJson(request, body as string, done);
  });
}

/** Registers specs as Fastify routes; input is validated with the spec's schemas before the handler runs. */
export function registerRoutes(app: FastifyInstance, specs: readonly RouteSpec[], cache?: ResponseCache): void {
  keepRawJsonBodies(app);
  if (cache) {
    // Any successful write may change any view; forgotten before the writer hears back, so its next read is fresh.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) cache.invalidate();
      done(null, payload);
    });
  }
  const sendCached = (request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer, hit: boolean) => {
    reply
      .header('x-cache', hit ? 'hit' : 'miss')
      .header('vary', 'accept-encoding')
      .header('etag', answer.etag())
      // Kept by the browser, and asked for again (with If-None-Match) before each use: views change with the data.
      .header('cache-control', 'no-cache');
    if (answer.matches(request.headers['if-none-match'])) return reply.status(304).send();
    reply.status(200).type('application/json; charset=utf-8');
    // Compressed once per kept answer: a browser's dashboard reads 5-10x fewer bytes, and the server writes them.
    if (answer.json.length >= GZIP_MIN_BYTES && acceptsGzip(request.headers['accept-encoding'])) {
      return reply.header('content-encoding', 'gzip').send(answer.gzip());
    }
    return reply.send(answer.json);
  };
  for (const spec of specs) {
    const cached = cache !== undefined && spec.cache === true && spec.method === 'GET' && !spec.contentType;
    app.route({
      method: spec.method,
      url: spec.url,
      config: { access: spec.access },
      // After the app's own onRequest hooks (Host check, token check): a hit is refused exactly as any request is.
      ...(cached ? { onRequest: answerHitsEarly(cache) } : {}),
      handler: async (request, reply) => {
        // A view answered before for this very URL (so its input was valid) and unchanged since: no parsing, no computing.
        if (cached) {
          const kept = await cache.lookup(request.url);
          if (kept) return sendCached(request, reply, kept, true);
        }
        // NUL, lone surrogates and over-long strings anywhere in the input: the same 400 on both stores.
        const issues: FieldIssue[] = [
          ...findTextProblems(request.params, 'params'),
          ...findTextProblems(request.query, 'query'),
          ...findTextProblems(request.body, 'body'),
        ];
        if (issues.length > 0) {
          throw new ValidationError(
            `Invalid ${issues.length === 1 ? 'field' : 'fields'}: ${issues.map((i) => i.field).join(', ')}`,
            issues,
          );
        }
        const params = parsePart(spec.params, request.params, 'params', issues);
        const query = parsePart(spec.query, request.query, 'query', issues);
        const body = parsePart(spec.body, request.body, 'body', issues);
        if (issues.length > 0) {
          const fields = issues.map((issue) => issue.field).join(', ');
          throw new ValidationError(`Invalid ${issues.length === 1 ? 'field' : 'fields'}: ${fields}`, issues);
        }
        const input = { params, query, body, headers: request.headers, rawBody: rawBodies.get(request) };
        if (cached) {
          const answer = await cache.get(request.url, async () => JSON.stringify(await spec.handler(input)));
          return sendCached(request, reply, answer.body, answer.hit);
        }
        const result = await spec.handler(input);
        const status = spec.successStatus ?? 200;
        if (status === 204) return reply.status(204).send();
        if (spec.contentType) return reply.status(status).type(spec.contentType).send(result);
        return reply.status(status).send(result);
      },
    });
  }
}

/**
 * Answers a GET whose answer is kept and current (ResponseCache.peek) before
 * the rest of Fastify's lifecycle: the reply, built once per kept answer and
 * encoding, is written to Node's response, so a hit costs no payload handling
 * and no onSend hooks. Its head carries what those hooks and `sendCached` add (the security headers, Vary, X-Cache); onResponse
 * hooks (metrics) and request logging still run, on the response's finish.
 * Anything else (HEAD, an answer still computed, PostgreSQL when its version
 * was last read more than a millisecond ago) goes on to the handler.
 */
function answerHitsEarly(cache: ResponseCache): onRequestHookHandler {
  return (request, reply, done) => {
    const kept = request.method === 'GET' ? cache.peek(request.url) : undefined;
    if (!kept) return done();
    reply.hijack();
    if (kept.matches(request.headers['if-none-match'])) {
      const unchanged = kept.hitReply('notModified', () => notModifiedReply(kept));
      reply.raw.writeHead(304, unchanged.head as string[]);
      reply.raw.end();
      return;
    }
    const encoding = kept.json.length >= GZIP_MIN_BYTES && acceptsGzip(request.headers['accept-encoding']) ? 'gzip' : 'identity';
    const hit = kept.hitReply(encoding, () => hitReply(kept, encoding));
    reply.raw.writeHead(200, hit.head as string[]);
    // A string body goes out with the head in one write; a Buffer would be a second chunk (writev).
    reply.raw.end(hit.body, 'latin1');
  };
}

/** What a hit writes: the head, with what the onSend hooks and `sendCached` would add, and the body. */
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

/**
 * Cached answers smaller than this are sent as they are: gzip's 18-byte frame
 * and the Content-Encoding header would take most of what it saves. (The
 * 90-day delivery summary, 906 bytes of JSON, goes as 497.)
 */
const GZIP_MIN_BYTES = 256;

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

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string, issues: FieldIssue[]): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // zod reports unknown keys once, on the object; each is named under its own field.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: formatFieldPath([part, ...issue.path, key]), message: 'is not a known field' });
      continue;
    }
    issues.push({ field: formatFieldPath([part, ...issue.path]), message: issue.message });
  }
  return undefined;
}
