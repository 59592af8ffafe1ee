import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { initTemplate } from './init-template.js';
import { MODULES } from '../modules.js';
import type { OrgConfig } from '../org/index.js';
import { parseWorkspaceConfig } from './workspace-file.js';

const FILE = '/tmp/example/sextant.yaml';

function issuesOf(text: string): FieldIssue[] {
  try {
    parseWorkspaceConfig(text, FILE);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const VALID = `version: 1
workspace:
  name: Acme
  timezone: Europe/Berlin
teams:
  - id: eng
    name: Engineering
  - id: web
    name: Web
    parent: eng
repositories:
  - id: mono
    path: ../mono
services:
  - id: shop
    name: Shop
    team: web
    repositories:
      - repo: mono
        paths: [services/shop/**]
      - mono-two
    environments: [production, {name: eu-canary, production: true}, staging]
people:
  - name: Ada Lovelace
    team: web
    emails: [ada@acme.example]
`;

describe('parseWorkspaceConfig', () => {
  it('accepts a valid file and applies defaults', () => {
    const config = parseWorkspaceConfig<OrgConfig>(VALID.replace('      - mono-two\n', ''), FILE);
    expect(config.workspace).toEqual({ name: 'Acme', timezone: 'Europe/Berlin' });
    expect(config.teams.map((t) => [t.id, t.parent ?? null])).toEqual([
      ['eng', null],
      ['web', 'eng'],
    ]);
    expect(config.services[0]?.repositories).toEqual([{ repo: 'mono', paths: ['services/shop/**'] }]);
    // "production" is production by name; eu-canary by flag; staging is not.
    expect(config.services[0]?.environments).toEqual([
      { name: 'production', production: true },
      { name: 'eu-canary', production: true },
      { name: 'staging', production: false },
    ]);
    expect(config.people[0]).toMatchObject({ name: 'Ada Lovelace', bot: false, logins: [] });
  });

  it('accepts the file written by `sextant init`, with and without a local repository', () => {
    for (const repositoryPath of ['.', null]) {
      const config = parseWorkspaceConfig<OrgConfig>(initTemplate(MODULES, { name: 'Test Org', repositoryPath }), FILE);
      expect(config.teams.map((t) => t.id)).toEqual(['engineering', 'platform', 'product']);
      expect(config.services.map((s) => s.team)).toEqual(['product']);
    }
  });

  it('names file, line, column and field for an unknown team', () => {
    // Line 17 of VALID is "    team: web"; the value starts at column 11.
    const issues = issuesOf(
      VALID.replace('    team: web\n    repositories:', '    team: webb\n    repositories:').replace('      - mono-two\n', ''),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'services[0].team', line: 17, column: 11 });
    expect(issues[0]?.message).toContain('unknown team "webb"');
    expect(issues[0]?.file).toMatch(/sextant\.yaml$/);
  });

  it('names an unknown repository reference by its list position and line', () => {
    // "      - mono-two" is line 21; the scalar starts at column 9.
    const issues = issuesOf(VALID);
    expect(issues).toEqual([expect.objectContaining({ field: 'services[0].repositories[1]', line: 21, column: 9 })]);
  });

  it('reports bad indentation as a YAML error with its line', () => {
    // The "name" of the second team (line 9) is indented one space too far, so
    // YAML reads "web\n name: Web" as one multi-line key that starts on line 8,
    // column 9 ("- id: web"): the parser reports it there, and we add a hint.
    const issues = issuesOf(VALID.replace('    name: Web\n', '     name: Web\n'));
    expect(issues[0]).toMatchObject({ field: 'id', line: 8, column: 9, file: FILE });
    expect(issues[0]?.message).toContain('check the indentation');
  });

  it('points at a misspelt key, not at its parent', () => {
    const issues = issuesOf(VALID.replace('    parent: eng', '    parnt: eng').replace('      - mono-two\n', ''));
    expect(issues).toEqual([{ field: 'teams[1].parnt', message: 'unknown field "parnt"', file: expect.any(String), line: 10, column: 5 }]);
  });

  it('rejects a team tree with a cycle, a bad time zone and an email claimed twice', () => {
    const text = `version: 1
workspace: {name: X, timezone: Mars/Olympus}
teams:
  - {id: a, name: A, parent: b}
  - {id: b, name: B, parent: a}
people:
  - {name: P One, emails: [p@x.example]}
  - {name: P Two, emails: [P@x.example]}
`;
    const schemaIssues = issuesOf(text);
    expect(schemaIssues.map((i) => i.field)).toEqual(['workspace.timezone']);
    const referenceIssues = issuesOf(text.replace('Mars/Olympus', 'UTC'));
    expect(referenceIssues.map((i) => i.field).sort()).toEqual(['people[1].emails[0]', 'teams[0].parent', 'teams[1].parent']);
  });

  it('rejects a version it does not know', () => {
    expect(issuesOf('version: 2\n')).toEqual([expect.objectContaining({ field: 'version', line: 1, column: 10 })]);
  });
});

describe('missing fields', () => {
  it('are reported as required at the item that lacks them', () => {
    // The team at line 4 has no name: the issue points at that item (line 4, column 5) and says "required".
    const issues = issuesOf('version: 1\nteams:\n  - id: eng\n  - id: web\n    parent: eng\n');
    expect(issues).toContainEqual(expect.objectContaining({ field: 'teams[0].name', message: 'required', line: 3, column: 5 }));
    expect(issues).toContainEqual(expect.objectContaining({ field: 'teams[1].name', message: 'required', line: 4, column: 5 }));
  });
});
