import type { Command } from 'commander';
import { openWorkspaceStore } from '../../workspace/workspace.js';
import type { CliContext } from '../../kit/cli/context.js';
import { printJson } from '../../kit/cli/output.js';
import { runAction } from '../../kit/cli/run-action.js';

export function registerDb(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending schema migrations (also done automatically on start)')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx.out, async (options: { json?: boolean }, command: Command) => {
        const { store, migrations } = await openWorkspaceStore(ctx.settings(command));
        await store.close();
        if (options.json) return printJson(ctx.out, { store: store.location, ...migrations });
        ctx.out.stdout.write(
          migrations.applied.length === 0
            ? `${store.location}: up to date (${migrations.known.length} migrations)\n`
            : `${store.location}: applied ${migrations.applied.join(', ')}\n`,
        );
      }),
    );
}
