import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCliServer } from '../test-support/cli.js';
import { makeTempDir } from '../test-support/stores.js';
import { VERSION } from '../shared/version.js';

describe('sextant CLI', () => {
  const dirs: string[] = [];
  const workspace = () => {
    const dir = makeTempDir('sextant-cli-');
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints its version and help', () => {
    expect(runCli(['--version']).stdout.trim()).toBe(VERSION);
    const help = runCli(['token', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('create');
    expect(help.stdout).toContain('revoke');
  });

  it('init writes a valid commented sextant.yaml that sync and org list apply', () => {
    const dir = workspace();
    const init = runCli(['init', '-w', dir]);
    expect(init.status).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'sextant.yaml'), 'utf8');
    expect(text).toMatch(/^# Sextant workspace configuration/);
    expect(fs.readFileSync(path.join(dir, '.sextant', '.gitignore'), 'utf8')).toBe('*\n');
    expect(runCli(['init', '-w', dir]).status).toBe(1);

    const sync = runCli(['sync', '-w', dir]);
    expect(sync.status).toBe(0);
    expect(sync.stderr).toContain('org: 3 teams, 1 services, 1 repositories, 0 people');
    const list = runCli(['org', 'list', '--json', '-w', dir]);
    expect(list.status).toBe(0);
    const org = JSON.parse(list.stdout);
    expect(org.teams.map((t: { id: string }) => t.id)).toEqual(['engineering', 'platform', 'product']);
    expect(org.services[0]).toMatchObject({ id: 'app', ownerTeamId: 'product' });
  });

  it('rejects a broken sextant.yaml naming file, line and field, and changes nothing', () => {
    const dir = workspace();
    runCli(['init', '-w', dir]);
    expect(runCli(['sync', '-w', dir]).status).toBe(0);
    const file = path.join(dir, 'sextant.yaml');
    const good = fs.readFileSync(file, 'utf8');
    // Rename a team and reference an unknown one: neither change may land.
    fs.writeFileSync(file, good.replace('name: Platform', 'name: Platform Renamed').replace('team: product', 'team: produkt'));
    const sync = runCli(['sync', '-w', dir]);
    expect(sync.status).toBe(2);
    const lineOfReference = good.split('\n').findIndex((line) => line.includes('team: product')) + 1;
    expect(sync.stderr).toContain(`sextant.yaml:${lineOfReference}:11 services[0].team: unknown team "produkt"`);
    const org = JSON.parse(runCli(['org', 'list', '--json', '-w', dir]).stdout);
    expect(org.teams.find((t: { id: string }) => t.id === 'platform').name).toBe('Platform');

    // The server refuses to start on it too.
    const serve = runCli(['serve', '-w', dir, '--port', '0']);
    expect(serve.status).toBe(2);
    expect(serve.stderr).toContain('services[0].team');

    // A repository path that is not a git repository is found while validating, with its
    // line and column, before the team rename next to it is applied.
    const badPath = good
      .replace('name: Platform', 'name: Platform Renamed')
      .replace('url: https://git.example.com/acme/app.git', 'path: ../no-such-clone');
    fs.writeFileSync(file, badPath);
    const lines = badPath.split('\n');
    const pathLine = lines.findIndex((line) => line.includes('path: ../no-such-clone')) + 1;
    const pathColumn = (lines[pathLine - 1] as string).indexOf('../no-such-clone') + 1;
    const badSync = runCli(['sync', '-w', dir]);
    expect(badSync.status).toBe(2);
    expect(badSync.stderr).toContain(
      `sextant.yaml:${pathLine}:${pathColumn} repositories[0].path: no such folder: ${path.resolve(dir, '../no-such-clone')}`,
    );
    const after = JSON.parse(runCli(['org', 'list', '--json', '-w', dir]).stdout);
    expect(after.teams.find((t: { id: string }) => t.id === 'platform').name).toBe('Platform');
  }, 120_000);

  it('creates, lists and revokes tokens, storing only their hash', () => {
    const dir = workspace();
    const created = runCli(['token', 'create', 'ci-pipeline', '--json', '-w', dir]);
    expect(created.status).toBe(0);
    const { token, id } = JSON.parse(created.stdout);
    expect(token).toMatch(/^sxt_[A-Za-z0-9_-]{43}$/);

    const db = new Database(path.join(dir, '.sextant', 'sextant.db'), { readonly: true });
    const rows = db.prepare('select * from api_tokens').all() as Array<Record<string, unknown>>;
    db.close();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(12));

    const listed = JSON.parse(runCli(['token', 'list', '--json', '-w', dir]).stdout);
    expect(listed).toEqual([expect.objectContaining({ id, name: 'ci-pipeline', revokedAt: null })]);
    expect(runCli(['token', 'revoke', 'ci-pipeline', '-w', dir]).status).toBe(0);
    expect(JSON.parse(runCli(['token', 'list', '--json', '-w', dir]).stdout)[0].revokedAt).not.toBeNull();
    expect(runCli(['token', 'revoke', 'no-such-token', '-w', dir]).status).toBe(1);
  });

  it('migrates idempotently and rejects a non-PostgreSQL database URL', () => {
    const dir = workspace();
    expect(runCli(['db', 'migrate', '--json', '-w', dir]).stdout).toContain('"0001-org"');
    expect(JSON.parse(runCli(['db', 'migrate', '--json', '-w', dir]).stdout).applied).toEqual([]);
    const bad = runCli(['db', 'migrate', '-w', dir, '--database-url', 'mysql://x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--database-url');
  });

  it('serves the teams from sextant.yaml and shuts down cleanly on SIGTERM', async () => {
    const dir = workspace();
    runCli(['init', '-w', dir]);
    const server = await startCliServer(['-w', dir]);
    try {
      const teams = await (await fetch(`${server.baseUrl}/api/v1/org/teams`)).json();
      expect(teams.items.map((t: { name: string }) => t.name)).toEqual(['Engineering', 'Platform', 'Product Engineering']);
    } finally {
      const exited = new Promise<number | null>((resolve) => server.child.on('exit', resolve));
      server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // A clean close checkpoints the WAL into the database file.
    const wal = path.join(dir, '.sextant', 'sextant.db-wal');
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });
});
