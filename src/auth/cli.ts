import type { Command } from 'commander';
import type { CliContext } from '../kit/cli/context.js';
import { printJson, printTable } from '../kit/cli/output.js';
import { runAction } from '../kit/cli/run-action.js';
import { createToken, listTokens, revokeToken } from './store.js';

export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API tokens for writes (and for reads on a non-loopback bind)');

  token
    .command('create <name>')
    .description('Create a token; it is printed once and only its hash is stored')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (name: string, options: { json?: boolean }, command: Command) => {
        return ctx.withStore(command, async (store) => {
          const { token: secret, record } = await createToken(store.db, name);
          if (options.json) return printJson(ctx.out, { ...record, token: secret });
          ctx.out.stdout.write(`${secret}\n`);
          ctx.out.stderr.write(`Token "${record.name}" (${record.id}) created. It is shown only now: store it in your secret manager.\n`);
        });
      }),
    );

  token
    .command('list')
    .description('List tokens (never their secrets)')
    .option('--json', 'print as JSON')
    .action(
      runAction(ctx.out, async (options: { json?: boolean }, command: Command) => {
        return ctx.withStore(command, async (store) => {
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
        });
      }),
    );

  token
    .command('revoke <idOrName>')
    .description('Revoke a token by id, or by name when the name is unique')
    .action(
      runAction(ctx.out, async (idOrName: string, _options: unknown, command: Command) => {
        return ctx.withStore(command, async (store) => {
          const revoked = await revokeToken(store.db, idOrName);
          ctx.out.stdout.write(`Revoked token "${revoked.name}" (${revoked.id}).\n`);
        });
      }),
    );
}
