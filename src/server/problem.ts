import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SextantError, UnavailableError, type FieldIssue, type ProblemType } from '../shared/errors.js';

/**
 * RFC 9457 problem details. `type` is a stable URN per kind of problem, so
 * clients branch on it rather than on `title` or `detail` text.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemTypeUri(type: ProblemType | 'bad-request' | 'unsupported-media-type'): string {
  return `urn:sextant:problem:${type}`;
}

export const problemSchema = z
  .object({
    type: z.string().describe('Stable identifier of the kind of problem, e.g. urn:sextant:problem:validation'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string(),
          file: z.string().optional(),
          line: z.number().int().optional(),
          column: z.number().int().optional(),
        }),
      )
      .optional()
      .describe('For validation problems: one entry per invalid field'),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<string, string> = {
  validation: 'Invalid request',
  'not-found': 'Not found',
  conflict: 'Conflict',
  unauthorized: 'Authentication required',
  'payload-too-large': 'Request body too large',
  'unsupported-media-type': 'Unsupported media type',
  'bad-request': 'Bad request',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};

/** Maps any thrown error to a problem. This is the only place errors become HTTP. */
export function toProblem(error: unknown, instance: string): Problem {
  if (error instanceof SextantError) {
    const issues: FieldIssue[] = 'issues' in error ? (error.issues as FieldIssue[]) : [];
    return {
      type: problemTypeUri(error.type),
      title: TITLES[error.type] ?? error.type,
      status: error.status,
      detail: error.message,
      instance,
      ...(issues.length > 0 ? { errors: issues } : {}),
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return build('payload-too-large', 413, fastifyError.message ?? 'Request body is too large', instance);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return build('unsupported-media-type', 415, 'Send request bodies as application/json', instance);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        ...build('validation', 400, 'The request body is not valid JSON', instance),
        errors: [{ field: 'body', message: fastifyError.message ?? 'invalid JSON' }],
      };
  }
  // Fastify's JSON parser raises a SyntaxError carrying statusCode 400.
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return {
      ...build('validation', 400, 'The request body is not valid JSON', instance),
      errors: [{ field: 'body', message: error.message }],
    };
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return build('bad-request', fastifyError.statusCode, fastifyError.message ?? 'Bad request', instance);
  }
  return build('internal', 500, 'An unexpected error occurred; the server log has the details', instance);
}

function build(type: Parameters<typeof problemTypeUri>[0], status: number, detail: string, instance: string): Problem {
  return { type: problemTypeUri(type), title: TITLES[type] ?? type, status, detail, instance };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="sextant"');
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Errors Node's HTTP parser raises before there is a request (header too large,
 * malformed request line): answered on the raw socket, as problem+json too.
 */
export function problemClientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request line and headers are larger than the server accepts (16 KB)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request was not received in time']
        : [400, 'The request is not valid HTTP'];
  const body = JSON.stringify(build('bad-request', status, detail, ''));
  if ('writable' in socket && socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, request.url);
  if (error instanceof UnavailableError && error.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.retryAfterSeconds));
  }
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem);
}
