import fs from 'node:fs';
import path from 'node:path';
import { isGitRepository } from './repository-path.js';
import { z } from 'zod';
import type { PathIssue } from '../kit/config.js';
import { entityId, needsPathOrUrl, personInput, repositoryFields, serviceInput, slugify, teamInput, type Org } from './model.js';

/**
 * The org part of `sextant.yaml`: lists of teams, repositories, services and
 * people. Each item carries its id inline so the file reads top to bottom.
 */
export const teamConfig = z.strictObject({ id: entityId, ...teamInput.shape });
export const repositoryConfig = z.strictObject({ id: entityId, ...repositoryFields.shape }).superRefine(needsPathOrUrl);
export const serviceConfig = z.strictObject({ id: entityId, ...serviceInput.shape });
export const personConfig = z.strictObject({ id: entityId.optional(), ...personInput.shape });

export const orgConfig = z.object({
  teams: z.array(teamConfig).default([]),
  repositories: z.array(repositoryConfig).default([]),
  services: z.array(serviceConfig).default([]),
  people: z.array(personConfig).default([]),
});

export type OrgConfig = z.infer<typeof orgConfig>;

/**
 * Checks what a schema cannot: unique ids, references to teams and repositories
 * that exist, a team tree without cycles, and no email or login claimed by two
 * people (the identity merge would be ambiguous).
 */
export function checkOrgReferences(config: OrgConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  const teamIds = firstIndexById(config.teams, 'teams', issues);
  const repoIds = firstIndexById(config.repositories, 'repositories', issues);
  firstIndexById(config.services, 'services', issues);
  firstIndexById(
    config.people.map((p) => ({ id: p.id ?? slugify(p.name) })),
    'people',
    issues,
  );

  config.teams.forEach((team, i) => {
    if (team.parent == null) return;
    if (!teamIds.has(team.parent)) {
      issues.push({ path: ['teams', i, 'parent'], message: `unknown team "${team.parent}"${knownList(teamIds)}` });
    } else if (team.parent === team.id) {
      issues.push({ path: ['teams', i, 'parent'], message: 'a team cannot be its own parent' });
    }
  });
  issues.push(...findTeamCycles(config.teams));

  config.services.forEach((service, i) => {
    if (!teamIds.has(service.team)) {
      issues.push({ path: ['services', i, 'team'], message: `unknown team "${service.team}"${knownList(teamIds)}` });
    }
    const seenRepos = new Set<string>();
    service.repositories.forEach((link, j) => {
      if (!repoIds.has(link.repo)) {
        issues.push({
          path: ['services', i, 'repositories', j],
          message: `unknown repository "${link.repo}"${knownList(repoIds)}`,
        });
      }
      if (seenRepos.has(link.repo)) {
        issues.push({ path: ['services', i, 'repositories', j], message: `repository "${link.repo}" is listed twice` });
      }
      seenRepos.add(link.repo);
    });
    const seenEnvs = new Set<string>();
    service.environments.forEach((env, j) => {
      if (seenEnvs.has(env.name)) {
        issues.push({ path: ['services', i, 'environments', j], message: `environment "${env.name}" is listed twice` });
      }
      seenEnvs.add(env.name);
    });
  });

  const claimed = new Map<string, string>();
  config.people.forEach((person, i) => {
    if (person.team != null && !teamIds.has(person.team)) {
      issues.push({ path: ['people', i, 'team'], message: `unknown team "${person.team}"${knownList(teamIds)}` });
    }
    const personId = person.id ?? slugify(person.name);
    const claims: Array<[string, string[]]> = [
      ['emails', person.emails],
      ['logins', person.logins],
    ];
    for (const [field, values] of claims) {
      values.forEach((value, j) => {
        const key = `${field}:${value.toLowerCase()}`;
        const owner = claimed.get(key);
        if (owner !== undefined && owner !== personId) {
          issues.push({ path: ['people', i, field, j], message: `"${value}" already belongs to person "${owner}"` });
        }
        claimed.set(key, personId);
      });
    }
  });
  return issues;
}

/**
 * Every repository `path` names a git repository (a work tree, or a bare
 * repository), resolved from the file's folder. Checked with the rest of the
 * file, so `sextant sync` fails before it writes anything rather than half-way.
 */
export function checkRepositoryPaths(config: OrgConfig, baseDir: string): PathIssue[] {
  return config.repositories.flatMap((repository, i) => {
    if (repository.path == null) return [];
    const absolute = path.resolve(baseDir, repository.path);
    const problem = !fs.existsSync(absolute)
      ? `no such folder: ${absolute}`
      : !fs.statSync(absolute).isDirectory()
        ? `not a folder: ${absolute}`
        : isGitRepository(absolute)
          ? undefined
          : `${absolute} is not a git repository (no .git here or in a parent folder, and not a bare repository)`;
    return problem ? [{ path: ['repositories', i, 'path'], message: problem }] : [];
  });
}

function firstIndexById(items: Array<{ id: string }>, list: string, issues: PathIssue[]): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) issues.push({ path: [list, i, 'id'], message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
  return seen;
}

function knownList(ids: Set<string>): string {
  if (ids.size === 0) return ' (none are defined)';
  const shown = [...ids].slice(0, 10);
  return ` (known: ${shown.join(', ')}${ids.size > shown.length ? ', ...' : ''})`;
}

function findTeamCycles(teams: OrgConfig['teams']): PathIssue[] {
  const parentOf = new Map(teams.map((t) => [t.id, t.parent ?? null]));
  const issues: PathIssue[] = [];
  teams.forEach((team, i) => {
    const seen = new Set<string>([team.id]);
    let cursor = parentOf.get(team.id) ?? null;
    while (cursor !== null && parentOf.has(cursor)) {
      if (seen.has(cursor)) {
        if (cursor === team.id) issues.push({ path: ['teams', i, 'parent'], message: 'the team tree has a cycle through this team' });
        return;
      }
      seen.add(cursor);
      cursor = parentOf.get(cursor) ?? null;
    }
  });
  return issues;
}

/** Turns a validated configuration into the domain objects the store writes. */
export function orgFromConfig(config: OrgConfig): Org {
  return {
    teams: config.teams.map((t) => ({
      id: t.id,
      name: t.name,
      parentId: t.parent ?? null,
      description: t.description ?? null,
      source: 'config',
    })),
    repositories: config.repositories.map((r) => ({
      id: r.id,
      name: r.name ?? r.id,
      path: r.path ?? null,
      url: r.url ?? null,
      defaultBranch: r.defaultBranch ?? null,
      source: 'config',
    })),
    services: config.services.map((s) => ({
      id: s.id,
      name: s.name,
      ownerTeamId: s.team,
      description: s.description ?? null,
      repositories: s.repositories.map((link) => ({ repositoryId: link.repo, paths: link.paths })),
      environments: s.environments,
      source: 'config',
    })),
    people: config.people.map((p) => ({
      id: p.id ?? slugify(p.name),
      name: p.name,
      teamId: p.team ?? null,
      bot: p.bot,
      emails: p.emails,
      aliases: p.aliases,
      logins: p.logins,
      source: 'config',
    })),
  };
}
