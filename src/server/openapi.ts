import { z } from 'zod';
import { problemSchema, PROBLEM_CONTENT_TYPE } from './problem.js';
import type { RouteSpec } from '../kit/routes.js';

type JsonSchema = Record<string, unknown>;

/**
 * Builds the OpenAPI 3.1 document from the same route specs the server runs,
 * so the document cannot drift from the routes. OpenAPI 3.1 uses JSON Schema
 * 2020-12, which is what zod emits.
 */
export function buildOpenApiDocument(specs: readonly RouteSpec[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, JsonSchema> = {};
  const toSchema = (schema: z.ZodType, io: 'input' | 'output') => toComponentSchema(schema, io, components);
  // problemSchema is named (`.meta({ id: 'Problem' })`): converting it files it under components.schemas.Problem.
  toSchema(problemSchema, 'output');

  for (const spec of specs) {
    const path = spec.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      parameters: [...parameters(spec.params, 'path', toSchema), ...parameters(spec.query, 'query', toSchema)],
      responses: responses(spec, toSchema),
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: toSchema(spec.body, 'input') } },
      };
    }
    if (spec.access !== 'public') {
      operation.security = spec.access === 'write' ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }];
    }
    (paths[path] ??= {})[spec.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Sextant API',
      version: info.version,
      description:
        'Engineering-organisation evidence: teams, services, delivery and reliability metrics. Writes need a bearer token (`sextant token create`). Errors are application/problem+json.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A token from `sextant token create`' },
      },
    },
  };
}

function responses(spec: RouteSpec, toSchema: SchemaConverter): Record<string, unknown> {
  const status = String(spec.successStatus ?? 200);
  const success: Record<string, unknown> = { description: spec.responseDescription ?? 'Success' };
  if (spec.contentType) success.content = { [spec.contentType.split(';')[0] as string]: { schema: { type: 'string' } } };
  else if (spec.response && status !== '204') {
    success.content = { 'application/json': { schema: toSchema(spec.response, 'output') } };
  }
  const problem = (description: string) => ({
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  const out: Record<string, unknown> = { [status]: success };
  if (spec.params || spec.query || spec.body) out['400'] = problem('Invalid input; `errors` names each field');
  if (spec.access !== 'public') out['401'] = problem('Missing or invalid bearer token');
  if (spec.params) out['404'] = problem('Not found');
  if (spec.method !== 'GET') out['409'] = problem('Conflicts with the current state');
  if (spec.body) {
    out['413'] = problem('The request body is larger than the server accepts');
    out['415'] = problem('The request body is not application/json');
  }
  out['503'] = problem('Temporarily unavailable (shutting down, or a retryable database conflict); see Retry-After');
  return out;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query', toSchema: SchemaConverter): unknown[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof propertySchema.description === 'string' ? { description: propertySchema.description } : {}),
    schema: propertySchema,
  }));
}

type SchemaConverter = (schema: z.ZodType, io: 'input' | 'output') => JsonSchema;

/**
 * Converts a zod schema to JSON Schema. Schemas named with `.meta({ id })`
 * come back as `$defs`; they are hoisted into `components.schemas` (once) and
 * referenced from there, so the document has one definition per named type.
 */
function toComponentSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const raw = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  const rewritten = JSON.parse(JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  const defs = (rewritten.$defs ?? {}) as Record<string, JsonSchema>;
  for (const [name, definition] of Object.entries(defs)) register(components, name, definition);
  delete rewritten.$defs;
  delete rewritten.$schema;
  const id = typeof rewritten.id === 'string' ? rewritten.id : undefined;
  if (id !== undefined) {
    delete rewritten.id;
    register(components, id, rewritten);
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewritten;
}

/**
 * Files a named schema under components.schemas. The same name registered
 * again must describe the same schema: two different schemas under one name
 * would leave one route documented (and typed in the dashboard) with the
 * other's shape, so that stops the build of the document.
 */
function register(components: Record<string, JsonSchema>, name: string, schema: JsonSchema): void {
  const existing = components[name];
  if (existing === undefined) {
    components[name] = schema;
    return;
  }
  if (canonical(existing) !== canonical(schema)) {
    throw new Error(
      `Two different schemas are named "${name}" (.meta({ id: '${name}' })): give one of them another name.\n  first:  ${canonical(existing)}\n  second: ${canonical(schema)}`,
    );
  }
}

/** JSON with object keys sorted, so key order does not make two equal schemas differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
