import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { formatFieldPath } from '../shared/field-path.js';
import { findTextProblems } from '../shared/text.js';
import type { Access, RouteSpec } from '../kit/routes.js';
import { encodingFor } from './kept-reads.js';
import type { CachedAnswer, ResponseCache } from './response-cache.js';

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
    if (encodingFor(answer, request.headers['accept-encoding']) === 'gzip') {
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
      handler: async (request, reply) => {
        // A view answered before for this very URL (so its input was valid) and unchanged since: no parsing, no computing.
        // (On a loopback bind most such reads are answered before Fastify, kept-reads.ts; these are the others.)
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
          const answer = await cache.get(request.url, async () => JSON.stringify(await spec.handler(input)), {
            route: spec.url,
            access: spec.access,
          });
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
