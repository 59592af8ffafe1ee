import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { categorise } from './categorise.js';
import { columnMapping, parseInstant, parseWorkFile } from './importers.js';
import { DEFAULT_RULES, type WorkItem } from './model.js';

const testdata = path.join(import.meta.dirname, '..', 'test-support', 'testdata', 'debt');
const read = (name: string) => fs.readFileSync(path.join(testdata, name), 'utf8');

function rejection(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('work item importers', () => {
  it('reads a Jira CSV export and GitHub issue JSON of the same work into the same work items', () => {
    // Both fixtures describe the same four pieces of work in each tracker's published shape:
    // Jira's "Export CSV (all fields)" (repeated Sprint and Labels columns, dd/MMM/yy h:mm AM dates)
    // and GitHub's GET /repos/{owner}/{repo}/issues (plus one pull request, which is not work).
    const jira = parseWorkFile(read('jira-export.csv'), 'jira', 'jira-export.csv', { team: 'payments' });
    const github = parseWorkFile(read('github-issues.json'), 'github', 'github-issues.json', { team: 'payments' });
    expect(github.skipped).toEqual([{ line: 1, reason: '#5 is a pull request' }]);
    const project = (items: WorkItem[]) =>
      items.map((i) => ({ title: i.title, team: i.team, state: i.state, created: i.created, completed: i.completed, sprint: i.sprint }));
    expect(project(github.items)).toEqual(project(jira.items));
    // Worked by hand from the fixtures: Jira's 05/Jan/24 4:30 PM is 2024-01-05T16:30Z, GitHub's closed_at the same.
    expect(project(jira.items)).toEqual([
      {
        title: 'Checkout redesign',
        team: 'payments',
        state: 'in-progress',
        created: Date.UTC(2024, 0, 2, 9),
        completed: null,
        sprint: null,
      },
      {
        title: 'Fix double charge on retry',
        team: 'payments',
        state: 'done',
        created: Date.UTC(2024, 0, 3, 10, 15),
        completed: Date.UTC(2024, 0, 5, 16, 30),
        sprint: 'PAY Sprint 1',
      },
      {
        title: 'Remove legacy session store',
        team: 'payments',
        state: 'done',
        created: Date.UTC(2024, 0, 4, 11),
        completed: Date.UTC(2024, 0, 16, 14),
        sprint: 'PAY Sprint 2',
      },
      { title: 'Support PayPal', team: 'payments', state: 'cancelled', created: Date.UTC(2024, 0, 5, 8), completed: null, sprint: null },
    ]);
    expect(jira.items.map((i) => i.id)).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
    expect(github.items.map((i) => i.id)).toEqual(['acme/payments#1', 'acme/payments#2', 'acme/payments#3', 'acme/payments#4']);
    // Jira's repeated Labels columns become one list; GitHub's labels[].name the same list.
    expect(jira.items[2]?.labels).toEqual(['tech-debt', 'payments']);
    expect(github.items[2]?.labels).toEqual(['tech-debt', 'payments']);
    expect(jira.items[1]?.points).toBe(2);
    // Jira's Parent id 10001 is the Issue id of PAY-1: turned into its key.
    expect(jira.items[3]?.parent).toBe('PAY-1');
    // Under the default rules both land in the same categories: epic -> new, bug -> ktlo,
    // label tech-debt -> debt; PAY-4 inherits new from its epic, GitHub's #4 is a story -> new.
    const categories = (items: WorkItem[]) => [...categorise(items, DEFAULT_RULES).values()].map((c) => c.category);
    expect(categories(jira.items)).toEqual(['new', 'ktlo', 'debt', 'new']);
    expect(categories(github.items)).toEqual(categories(jira.items));
  });

  it("reads GitLab's issue JSON: references as ids, weight as points, the iteration as the sprint, epics as parents", () => {
    const { items } = parseWorkFile(read('gitlab-issues.json'), 'gitlab', 'gitlab-issues.json', { team: 'payments' });
    expect(items.map((i) => [i.id, i.type, i.state, i.points, i.sprint, i.parent, i.completed])).toEqual([
      ['acme/payments#7', 'incident', 'done', 5, 'PAY Sprint 1', null, Date.UTC(2024, 0, 11, 12)],
      ['acme/payments#8', 'issue', 'todo', null, 'Iteration 4', '&2', null],
    ]);
  });

  it('reads Sextant CSV under a column mapping, with the tracker’s own state names', () => {
    const csv =
      'Key,Squad,Name,Kind,Tags,Workflow,Opened,Closed,Estimate\nX-1,core,Tidy config,Chore,tech-debt;infra,Shipped,2024-02-01,2024-02-03T10:00:00+02:00,1.5\n';
    const mapping = columnMapping.parse({
      columns: {
        id: 'Key',
        team: 'Squad',
        title: 'Name',
        type: 'Kind',
        labels: 'Tags',
        state: 'Workflow',
        created: 'Opened',
        completed: 'Closed',
        points: 'Estimate',
      },
      states: { Shipped: 'done' },
    });
    const { items } = parseWorkFile(csv, 'csv', 'work.csv', { mapping });
    // +02:00 -> 08:00 UTC.
    expect(items).toEqual([
      {
        id: 'X-1',
        team: 'core',
        title: 'Tidy config',
        type: 'chore',
        labels: ['tech-debt', 'infra'],
        state: 'done',
        created: Date.UTC(2024, 1, 1),
        started: null,
        completed: Date.UTC(2024, 1, 3, 8),
        points: 1.5,
        parent: null,
        sprint: null,
        links: [],
        source: 'csv',
      },
    ]);
  });

  it('rejects unknown columns under a mapping and unparseable dates with file:line:field, returning nothing', () => {
    const mapping = columnMapping.parse({ columns: { id: 'Key', title: 'Name', type: 'Kind', state: 'State', created: 'Opened' } });
    const unknown = rejection(() =>
      parseWorkFile('Key,Name,Kind,State,Opened,Owner\nA-1,T,bug,done,2024-01-01,ann\n', 'csv', 'w.csv', { mapping, team: 'core' }),
    );
    expect(unknown.issues).toEqual([
      { field: 'Owner', file: 'w.csv', line: 1, column: 6, message: 'unknown column: the mapping neither maps nor ignores "Owner"' },
    ]);

    const dates = rejection(() =>
      parseWorkFile(
        'Key,Name,Kind,State,Opened\nA-1,T,bug,done,2024-01-01\nA-2,T,bug,done,2024-02-31\nA-3,T,bug,done,yesterday\n',
        'csv',
        'w.csv',
        { mapping, team: 'core' },
      ),
    );
    expect(dates.issues.map((i) => [i.file, i.line, i.field])).toEqual([
      ['w.csv', 3, 'created'],
      ['w.csv', 4, 'created'],
    ]);
    expect(dates.issues[0]?.message).toContain('"2024-02-31" is not a date');
  });

  it('rejects a GitHub file without --team and a Jira file that is not an export', () => {
    expect(rejection(() => parseWorkFile(read('github-issues.json'), 'github', 'g.json')).issues[0]).toMatchObject({ field: '--team' });
    expect(rejection(() => parseWorkFile('a,b\n1,2\n', 'jira', 'j.csv', { team: 'x' })).issues.map((i) => i.field)).toEqual([
      'Issue key',
      'Issue Type',
      'Summary',
      'Status',
      'Created',
    ]);
  });

  it('parses ISO 8601 and Jira dates, and refuses impossible ones', () => {
    expect(parseInstant('2024-03-05')).toBe(Date.UTC(2024, 2, 5));
    expect(parseInstant('2024-03-05T09:41:00.500Z')).toBe(Date.UTC(2024, 2, 5, 9, 41, 0, 500));
    expect(parseInstant('05/Mar/24 12:05 AM')).toBe(Date.UTC(2024, 2, 5, 0, 5));
    expect(parseInstant('05/Mar/24 12:05 PM')).toBe(Date.UTC(2024, 2, 5, 12, 5));
    expect(parseInstant('31/Feb/24 9:00 AM')).toBeNull();
    expect(parseInstant('2024-13-01')).toBeNull();
  });

  it('reads the key result an item serves from a kr: link (CSV) or a kr: label (any tracker), and refuses an empty one', () => {
    const csv =
      'id,team,title,type,state,created,labels,links\nA-1,core,Fast lead,story,todo,2024-01-01,,https://pr/1;kr:lead\nA-2,core,SDK,story,done,2024-01-01,KR: sdk;ui,\n';
    expect(parseWorkFile(csv, 'csv', 'w.csv').items.map((i) => i.links)).toEqual([['https://pr/1', 'kr:lead'], ['kr:sdk']]);
    const github = JSON.stringify([
      {
        number: 1,
        title: 'T',
        state: 'open',
        created_at: '2024-01-01T00:00:00Z',
        html_url: 'https://github.com/a/b/issues/1',
        labels: [{ name: 'kr:lead' }, { name: 'bug' }],
      },
    ]);
    expect(parseWorkFile(github, 'github', 'g.json', { team: 'core' }).items[0]?.links).toEqual([
      'https://github.com/a/b/issues/1',
      'kr:lead',
    ]);
    const empty = rejection(() =>
      parseWorkFile('id,team,title,type,state,created,links\nA-1,core,T,story,todo,2024-01-01,kr:\n', 'csv', 'w.csv'),
    );
    expect(empty.issues).toEqual([
      { field: 'links', file: 'w.csv', line: 2, message: '"kr:" names no key result; write kr:<key-result-id>' },
    ]);
  });
});
