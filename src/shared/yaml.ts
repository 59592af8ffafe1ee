import type { Document } from 'yaml';

/**
 * Most aliases a YAML file may expand. A few dozen `<<: *defaults` are normal;
 * an "alias bomb" (each level aliasing the previous one ten times) expands to
 * billions of nodes from a few hundred bytes. The yaml library counts the
 * nodes each alias brings in against this limit and throws beyond it.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/** A parsed document's plain value, or why it cannot be expanded (an alias bomb), as one line. */
export function yamlValue(doc: Document): { value: unknown } | { error: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) };
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      return {
        error: `aliases expand too far (${(error as Error).message.split('\n')[0]}); a file may expand at most ${MAX_YAML_ALIAS_COUNT} aliased nodes`,
      };
    }
    throw error;
  }
}
