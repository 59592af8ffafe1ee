import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiDocument, renderApiTypes, typeOf } from '../../../scripts/api-types.js';

describe('the dashboard API types', () => {
  it('are what `npm run gen:api` writes from the current route schemas (run it after changing a schema)', async () => {
    expect(fs.readFileSync(API_TYPES_FILE, 'utf8')).toBe(await renderApiTypes());
  });

  it('change when a response schema changes', async () => {
    const document = apiDocument() as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const before = await renderApiTypes(document);
    (document.components.schemas.Team as { properties: Record<string, unknown> }).properties.extra = { type: 'string' };
    expect(await renderApiTypes(document)).not.toBe(before);
  });

  it('translate JSON Schema as zod emits it (expected types written by hand)', () => {
    expect(typeOf({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeOf({ anyOf: [{ type: 'number' }, { type: 'null' }] })).toBe('number | null');
    expect(typeOf({ enum: ['open', 'frozen'] })).toBe('"open" | "frozen"');
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Team' } })).toBe('Array<Team>');
    expect(typeOf({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'boolean' } }, required: ['a'] })).toBe(
      '{\na: number;\nb?: boolean;\n}',
    );
    expect(typeOf({ type: 'object', additionalProperties: { type: 'number' } })).toBe('{\n[key: string]: number;\n}');
    expect(typeOf({})).toBe('unknown');
  });
});
