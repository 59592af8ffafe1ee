import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { installRoot } from '../../config/install.js';
import { MODULES } from '../../modules.js';
import { initTemplate } from '../../workspace/init-template.js';
import { ConflictError } from '../../shared/errors.js';
import type { CliContext } from '../../kit/cli/context.js';
import { runAction } from '../../kit/cli/run-action.js';

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('Write a commented sextant.yaml describing teams, services and repositories')
    .option('--name <name>', 'organisation name', 'My organisation')
    .option('--force', 'overwrite an existing sextant.yaml')
    .action(
      runAction(ctx.out, async (options: { name: string; force?: boolean }, command: Command) => {
        const settings = ctx.settings(command);
        if (fs.existsSync(settings.configFile) && !options.force) {
          throw new ConflictError(`${settings.configFile} already exists; use --force to overwrite it`);
        }
        const isGitRepository = fs.existsSync(path.join(settings.workspaceDir, '.git'));
        fs.mkdirSync(settings.workspaceDir, { recursive: true });
        fs.writeFileSync(
          settings.configFile,
          initTemplate(MODULES, {
            name: options.name,
            repositoryPath: isGitRepository ? '.' : null,
            docsFile: path.join(installRoot(), 'docs', 'configuration.md'),
          }),
        );
        // The data folder holds databases and caches: never something to commit.
        fs.mkdirSync(settings.dataDir, { recursive: true });
        fs.writeFileSync(path.join(settings.dataDir, '.gitignore'), '*\n');
        ctx.out.stdout.write(
          `Wrote ${path.relative(process.cwd(), settings.configFile) || settings.configFile}.\n` +
            'Edit it to describe your teams, services and repositories, then run `sextant serve` (or `sextant sync`).\n',
        );
      }),
    );
}
