import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { loadOrg } from './store.js';

export function registerOrgCommands(program: Command, ctx: CliContext): void {
  const org = program.command('org').description('Teams, services, repositories and people');
  org
    .command('list')
    .description('Show the organisation as stored (after `sextant sync`)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (options: { json?: boolean }, command: Command) => {
        return ctx.withStore(command, async (store) => {
          const data = await loadOrg(store.db);
          if (options.json) return printJson(ctx.out, data);
          const servicesPerTeam = new Map<string, number>();
          data.services.forEach((s) => servicesPerTeam.set(s.ownerTeamId, (servicesPerTeam.get(s.ownerTeamId) ?? 0) + 1));
          const peoplePerTeam = new Map<string, number>();
          data.people.forEach((p) => p.teamId && peoplePerTeam.set(p.teamId, (peoplePerTeam.get(p.teamId) ?? 0) + 1));
          if (data.teams.length === 0) {
            ctx.out.stdout.write('No teams yet. Run `sextant init`, describe your organisation in sextant.yaml, then `sextant sync`.\n');
            return;
          }
          ctx.out.stdout.write('Teams\n');
          printTable(ctx.out, data.teams, [
            { header: 'ID', value: (t) => t.id },
            { header: 'NAME', value: (t) => t.name },
            { header: 'PARENT', value: (t) => t.parentId },
            { header: 'SERVICES', value: (t) => servicesPerTeam.get(t.id) ?? 0, align: 'right' },
            { header: 'PEOPLE', value: (t) => peoplePerTeam.get(t.id) ?? 0, align: 'right' },
          ]);
          ctx.out.stdout.write('\nServices\n');
          printTable(ctx.out, data.services, [
            { header: 'ID', value: (s) => s.id },
            { header: 'NAME', value: (s) => s.name },
            { header: 'TEAM', value: (s) => s.ownerTeamId },
            {
              header: 'REPOSITORIES',
              value: (s) => s.repositories.map((r) => r.repositoryId + (r.paths.length ? ` (${r.paths.join(', ')})` : '')).join('; '),
            },
            { header: 'ENVIRONMENTS', value: (s) => s.environments.map((e) => e.name).join(', ') },
          ]);
          ctx.out.stdout.write('\nRepositories\n');
          printTable(ctx.out, data.repositories, [
            { header: 'ID', value: (r) => r.id },
            { header: 'LOCATION', value: (r) => r.path ?? r.url },
          ]);
          const bots = data.people.filter((p) => p.bot).length;
          ctx.out.stdout.write(`\n${data.people.length} people (${bots} bots) map commit authors to teams.\n`);
        });
      }),
    );
}
