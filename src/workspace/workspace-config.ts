import { z } from 'zod';
import type { AnyModule } from '../kit/module.js';
import { ianaTimeZone } from '../shared/time-zone.js';

/** The `workspace:` header every file has; modules add their own top-level keys. */
const workspaceHeader = {
  version: z.literal(1, { error: 'must be 1 (the only configuration version so far)' }),
  workspace: z
    .strictObject({
      name: z.string().trim().min(1).default('My organisation'),
      timezone: ianaTimeZone.default('UTC'),
    })
    .default({ name: 'My organisation', timezone: 'UTC' }),
};

/**
 * The schema of `sextant.yaml`: the header plus each module's section, in
 * module order. Unknown top-level keys are rejected so a typo ("servcies") is
 * reported, not ignored.
 */
export function workspaceConfigSchema(modules: readonly AnyModule[]) {
  const shape: Record<string, z.ZodType> = { ...workspaceHeader };
  for (const module of modules) {
    for (const [key, schema] of Object.entries(module.config?.shape ?? {})) {
      if (key in shape) throw new Error(`sextant.yaml key "${key}" is claimed twice (module ${module.name})`);
      shape[key] = schema;
    }
  }
  return z.strictObject(shape);
}

/** A validated sextant.yaml: the header, and each module's keys read with that module's own types. */
export interface WorkspaceConfig {
  version: 1;
  workspace: { name: string; timezone: string };
  readonly [key: string]: unknown;
}
