import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { RouteSpec } from '../kit/routes.js';
import { moduleRoutes } from '../server/module-routes.js';
import type { Store } from '../store/database.js';

/**
 * Makes every `app.inject()` of a test check its JSON success body against the
 * response schema its route declares: the body must parse, and parsing must
 * give the body back unchanged. zod drops keys an object schema does not name,
 * so a field the handler returns but the schema (and so the OpenAPI document
 * and web/src/api/types.ts) leaves out fails the test, as does a missing or
 * mistyped one. A route that answers JSON without a response schema fails too.
 */
export function checkResponseSchemas(app: FastifyInstance): void {
  const routes = moduleRoutes({} as Store, { workspaceDir: '', repositoryRoots: [], timeZone: 'UTC' }).map((spec) => ({
    spec,
    pattern: urlPattern(spec.url),
    params: spec.url.split(':').length,
  }));
  const inject = app.inject.bind(app) as (options: string | InjectOptions) => Promise<LightMyRequestResponse>;
  const checked = async (options: string | InjectOptions) => {
    const response = await inject(options);
    const { method, url } = typeof options === 'string' ? { method: 'GET', url: options } : options;
    const path = String(url ?? '').split('?')[0] as string;
    const spec = routes
      .filter((r) => r.spec.method === String(method ?? 'GET').toUpperCase() && r.pattern.test(path))
      .sort((a, b) => a.params - b.params)[0]?.spec;
    if (spec) checkBody(spec, response);
    return response;
  };
  // `app.inject()` without arguments builds a chain; leave that form as it is.
  (app as unknown as { inject: unknown }).inject = (options?: string | InjectOptions) =>
    options === undefined ? (inject as () => unknown)() : checked(options);
}

function checkBody(spec: RouteSpec, response: LightMyRequestResponse): void {
  const status = response.statusCode;
  if (status < 200 || status >= 300 || status === 204) return;
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json')) return;
  const label = `${spec.method} ${spec.url} (${spec.operationId})`;
  if (!spec.response) throw new Error(`${label} answers JSON but declares no response schema`);
  const body: unknown = response.json();
  const parsed = spec.response.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('\n  ');
    throw new Error(`${label}: the body does not match the response schema:\n  ${issues}`);
  }
  expect(parsed.data, `${label}: fields the response schema leaves out (or changes)`).toStrictEqual(body);
}

function urlPattern(url: string): RegExp {
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** The operation ids of routes that answer JSON but declare no response schema (204s and text exports need none). */
export function routesWithoutResponseSchema(specs: readonly RouteSpec[]): string[] {
  return specs.filter((s) => !s.response && !s.contentType && s.successStatus !== 204).map((s) => s.operationId);
}
