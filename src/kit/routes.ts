import type { z } from 'zod';

/**
 * How a module declares an HTTP route: schemas for what it accepts and returns,
 * who may call it, and one function that does the work. The server turns each
 * spec into a Fastify route and an OpenAPI operation (server/register-routes.ts),
 * so a module's routes file imports nothing from Fastify and stays thin:
 * validate, call one function, return the result.
 */
export type Access =
  /** Anyone who can reach the server (health checks, the OpenAPI document). */
  | 'public'
  /** Reads: open on a loopback bind, a token otherwise. */
  | 'read'
  /** Writes: always a token. */
  | 'write';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Request headers, lower-case names (webhook signatures). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The JSON body exactly as received, for signatures computed over the bytes; undefined without a JSON body. */
  rawBody: string | undefined;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify-style path, e.g. `/api/v1/org/teams/:id`. */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Status on success: 200 by default; 204 sends no body. */
  successStatus?: 200 | 201 | 204;
  /** Schema of the success body, for the OpenAPI document. */
  response?: z.ZodType;
  responseDescription?: string;
  /**
   * A read whose answer depends only on the stored data, the request and the
   * clock at the scale of seconds (a dashboard view): the server keeps its
   * answer until the next write or for 30 s (server/response-cache.ts).
   */
  cache?: boolean;
  /** Send the handler's string result as this media type (Markdown, HTML exports) instead of JSON. */
  contentType?: string;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/** Identity function that lets TypeScript infer the handler's input types from the schemas. */
export function defineRoute<P = unknown, Q = unknown, B = unknown>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}
