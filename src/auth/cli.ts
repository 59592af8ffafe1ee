import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { printJson, printTable } from '../cli/output.js';
import { runAction } from '../cli/run-action.js';
import { openWorkspaceStore } from '../workspace/workspace.js';
import { createToken, listTokens, revokeToken } from './store.js';

export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API tokens for writes (and for reads on a non-loopback bind)');

  token
    .command('create <name>')
    .description('Create a token; it is printed once and only its hash is stored')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (name: string, options: { json?: boolean }, command: Command) => {
        const { store } = await openWorkspaceStore(ctx.settings(command));
        try {
          const { token: secret, record } = await createToken(store.db, name);
          if (options.json) return printJson(ctx.out, { ...record, token: secret });
          ctx.out.stdout.write(`${secret}\n`);
          ctx.out.stderr.write(`Token "${record.name}" (${record.id}) created. It is shown only now: store it in your secret manager.\n`);
        } finally {
          await store.close();
        }
      }),
    );

  token
    .command('list')
    .description('List tokens (never their secrets)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (options: { json?: boolean }, command: Command) => {
        const { store } = await openWorkspaceStore(ctx.settings(command));
        try {
          const tokens = await listTokens(store.db);
          if (options.json) return printJson(ctx.out, tokens);
          printTable(ctx.out, tokens, [
            { header: 'ID', value: (t) => t.id },
            { header: 'NAME', value: (t) => t.name },
            { header: 'PREFIX', value: (t) => `${t.prefix}…` },
            { header: 'CREATED', value: (t) => t.createdAt },
            { header: 'LAST USED', value: (t) => t.lastUsedAt },
            { header: 'REVOKED', value: (t) => t.revokedAt },
          ]);
        } finally {
          await store.close();
        }
      }),
    );

  token
    .command('revoke <idOrName>')
    .description('Revoke a token by id, or by name when the name is unique')
    .action(
      runAction(ctx.out, async (idOrName: string, _options: unknown, command: Command) => {
        const { store } = await openWorkspaceStore(ctx.settings(command));
        try {
          const revoked = await revokeToken(store.db, idOrName);
          ctx.out.stdout.write(`Revoked token "${revoked.name}" (${revoked.id}).\n`);
        } finally {
          await store.close();
        }
      }),
    );
}
