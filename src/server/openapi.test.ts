import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineRoute, type RouteSpec } from '../kit/routes.js';
import type { Store } from '../store/database.js';
import { moduleRoutes } from './module-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { workspaceRoutes } from './workspace-routes.js';

const route = (operationId: string, response: z.ZodType): RouteSpec =>
  defineRoute({
    method: 'GET',
    url: `/api/v1/${operationId}`,
    operationId,
    summary: operationId,
    tag: 'test',
    access: 'read',
    response,
    handler: async () => ({}) as never,
  });

describe('the OpenAPI document', () => {
  it('files a named schema once, however many routes use it', () => {
    const thing = z.object({ a: z.number() }).meta({ id: 'Thing' });
    const doc = buildOpenApiDocument([route('one', thing), route('two', z.object({ list: z.array(thing) }))], { version: 't' });
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    expect(schemas.Thing).toEqual({ type: 'object', properties: { a: { type: 'number' } }, required: ['a'], additionalProperties: false });
  });

  it('throws when two different schemas are registered under one name, at the top or nested', () => {
    const first = z.object({ a: z.number() }).meta({ id: 'Thing' });
    const second = z.object({ b: z.string() }).meta({ id: 'Thing' });
    expect(() => buildOpenApiDocument([route('one', first), route('two', second)], { version: 't' })).toThrow(
      /Two different schemas are named "Thing"/,
    );
    expect(() =>
      buildOpenApiDocument([route('one', z.object({ x: first })), route('two', z.object({ y: second }))], { version: 't' }),
    ).toThrow(/Two different schemas are named "Thing"/);
    // The error document's own name is taken too.
    expect(() => buildOpenApiDocument([route('one', z.object({ detail: z.string() }).meta({ id: 'Problem' }))], { version: 't' })).toThrow(
      /Two different schemas are named "Problem"/,
    );
  });

  it("builds for every module's routes: no name is claimed by two schemas", () => {
    const specs = [
      ...workspaceRoutes({ name: 'w', timeZone: 'UTC', mode: 'empty' } as never),
      ...moduleRoutes({} as Store, { workspaceDir: '', repositoryRoots: [], timeZone: 'UTC' }),
    ];
    const doc = buildOpenApiDocument(specs, { version: 't' });
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(schemas)).toContain('RecordReport');
    expect(Object.keys(schemas)).toContain('IncidentMetrics');
  });
});
