import { z } from 'zod';
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../shared/text.js';

/**
 * The organisation every other module hangs its data on: teams (a tree),
 * repositories, services (owned by a team, built from repositories, deployed to
 * environments) and people (one identity per human or bot, with every email,
 * name and login they appear under).
 */

/** Stable, URL-safe identifiers chosen by the user (`payments`, `checkout-api`). */
export const entityId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'must be 1-64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const entitySource = z
  .enum(['config', 'api', 'demo'])
  .describe('Who manages the entity: sextant.yaml, the API, or the demo generator');
export type EntitySource = z.infer<typeof entitySource>;

export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    description: z.string().nullable(),
    source: entitySource,
  })
  .meta({ id: 'Team' });

export const repositorySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    path: z.string().nullable().describe('Local clone or bare repository, absolute or relative to the workspace'),
    url: z.string().nullable(),
    defaultBranch: z.string().nullable(),
    source: entitySource,
  })
  .meta({ id: 'Repository' });

export const environmentSchema = z.object({
  name: z.string(),
  production: z.boolean().describe('Deployments here count as production for delivery metrics'),
});

export const serviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    ownerTeamId: z.string(),
    description: z.string().nullable(),
    repositories: z.array(
      z.object({
        repositoryId: z.string(),
        paths: z.array(z.string()).describe('Globs selecting the service in a monorepo; empty = whole repository'),
      }),
    ),
    environments: z.array(environmentSchema),
    source: entitySource,
  })
  .meta({ id: 'Service' });

export const personSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    teamId: z.string().nullable(),
    bot: z.boolean(),
    emails: z.array(z.string()),
    aliases: z.array(z.string()).describe('Other spellings of the name seen in commits'),
    logins: z.array(z.string()),
    source: entitySource,
  })
  .meta({ id: 'Person' });

export type Team = z.infer<typeof teamSchema>;
export type Repository = z.infer<typeof repositorySchema>;
export type Environment = z.infer<typeof environmentSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type ServiceRepository = Service['repositories'][number];
export type Person = z.infer<typeof personSchema>;

export interface Org {
  teams: Team[];
  repositories: Repository[];
  services: Service[];
  people: Person[];
}

// --- Inputs: what the API and the workspace file accept -------------------------

const nonEmpty = z.string().trim().min(1, 'must not be empty').max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);
const optionalText = z.string().trim().min(1).max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`).nullish();

export const teamInput = z.strictObject({
  name: nonEmpty,
  parent: entityId.nullish(),
  description: optionalText,
});

export const repositoryFields = z.strictObject({
  name: nonEmpty.optional(),
  path: z.string().trim().min(1).nullish(),
  url: z.string().trim().min(1).nullish(),
  defaultBranch: z.string().trim().min(1).nullish(),
});

export function needsPathOrUrl(repo: { path?: string | null; url?: string | null }, ctx: z.RefinementCtx): void {
  if (!repo.path && !repo.url) ctx.addIssue({ code: 'custom', message: 'a repository needs a path or a url', path: ['path'] });
}

export const repositoryInput = repositoryFields.superRefine(needsPathOrUrl);

/**
 * An environment's name as stored and compared everywhere: trimmed and in lower
 * case, so `Production` from one source and `production` from another are one
 * environment (one entry in the dashboard's Environment filter).
 */
export const environmentName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .transform((name) => name.toLowerCase());

const environmentInput = z.union([
  environmentName.transform((name) => ({ name, production: name === 'production' })),
  z.strictObject({ name: environmentName, production: z.boolean().optional() }).transform((env) => ({
    name: env.name,
    production: env.production ?? env.name === 'production',
  })),
]);

const serviceRepositoryInput = z.union([
  entityId.transform((repo) => ({ repo, paths: [] as string[] })),
  z.strictObject({ repo: entityId, paths: z.array(nonEmpty).default([]) }),
]);

export const serviceInput = z
  .strictObject({
    name: nonEmpty,
    team: entityId,
    description: optionalText,
    repositories: z.array(serviceRepositoryInput).default([]),
    environments: z.array(environmentInput).default([{ name: 'production', production: true }]),
  })
  .superRefine((service, ctx) => {
    const duplicates = (list: string[], field: string, key: string) => {
      const first = new Map<string, number>();
      list.forEach((value, index) => {
        const earlier = first.get(value);
        if (earlier === undefined) first.set(value, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: [field, index, key],
            message: `"${value}" is a duplicate: already listed as ${field}[${earlier}]`,
          });
      });
    };
    duplicates(
      service.environments.map((env) => env.name),
      'environments',
      'name',
    );
    duplicates(
      service.repositories.map((repo) => repo.repo),
      'repositories',
      'repo',
    );
  });

const email = z
  .string()
  .trim()
  .min(3)
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const personInput = z.strictObject({
  name: nonEmpty,
  team: entityId.nullish(),
  bot: z.boolean().default(false),
  emails: z.array(email).default([]),
  aliases: z.array(nonEmpty).default([]),
  logins: z.array(nonEmpty).default([]),
});

export type TeamInput = z.infer<typeof teamInput>;
export type RepositoryInput = z.infer<typeof repositoryInput>;
export type ServiceInput = z.infer<typeof serviceInput>;
export type PersonInput = z.infer<typeof personInput>;

/** Derives a person id from a display name: "Ada Lovelace" -> "ada-lovelace". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'person';
}
