import type { Command } from 'commander';
import { isLoopbackHost } from '../../config/settings.js';
import { buildApp } from '../../server/app.js';
import { listenUntilSignalled } from '../../server/listen.js';
import { defaultWebRoot } from '../../server/web-assets.js';
import { VERSION } from '../../shared/version.js';
import { openConfiguredWorkspace, openDemoWorkspace } from '../../workspace/workspace.js';
import type { CliContext } from '../../kit/cli/context.js';
import { EXIT_INVALID_INPUT, runAction } from '../../kit/cli/run-action.js';

interface ServeOptions {
  demo?: boolean;
  seed: string;
  scale: string;
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Serve the dashboard and the HTTP API (applies sextant.yaml first)')
    .option('--host <host>', 'address to bind (default 127.0.0.1; anything but loopback requires tokens for reads too)')
    .option('-p, --port <port>', 'port to listen on (default 4680; 0 picks a free one)')
    .option('--demo', 'serve the generated demo workspace instead of sextant.yaml')
    .option('--seed <n>', 'demo generator seed', '1')
    .option('--scale <n>', 'demo volume multiplier', '1')
    .option('--log-level <level>', 'fatal, error, warn, info (default), debug, trace or silent')
    .option('--shutdown-grace <seconds>', 'on SIGTERM, how long in-flight requests may finish before they are cut (default 25)')
    .option(
      '--public-host <name>',
      'a host name clients use to reach this server (e.g. behind a proxy); repeatable. Other Host headers are refused',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(
      runAction(ctx.out, async (options: ServeOptions, command: Command) => {
        const settings = ctx.settings(command);
        const seed = Number(options.seed);
        const scale = Number(options.scale);
        if (!Number.isInteger(seed) || !Number.isInteger(scale) || scale < 1) {
          ctx.out.stderr.write('error: --seed must be an integer and --scale a positive integer\n');
          return EXIT_INVALID_INPUT;
        }
        const workspace = options.demo ? await openDemoWorkspace(settings, { seed, scale }) : await openConfiguredWorkspace(settings);
        const app = await buildApp({
          store: workspace.store,
          readsNeedToken: !isLoopbackHost(settings.host),
          bodyLimitBytes: settings.bodyLimitBytes,
          logLevel: settings.logLevel,
          webRoot: defaultWebRoot(),
          workspace: workspace.info,
          workspaceDir: settings.workspaceDir,
          repositoryRoots: settings.repositoryRoots,
          bindHost: settings.host,
          publicHosts: settings.publicHosts,
        });
        const address = await listenUntilSignalled(app, workspace.store, {
          host: settings.host,
          port: settings.port,
          graceMs: settings.shutdownGraceMs,
        });
        ctx.out.stderr.write(
          `Sextant ${VERSION} serving "${workspace.info.name}" (${workspace.info.mode}) on ${address}\n` +
            `  store: ${workspace.store.location}\n` +
            (workspace.info.mode === 'empty'
              ? '  No sextant.yaml here yet: run `sextant init` to describe your organisation, or `sextant serve --demo` to explore.\n'
              : ''),
        );
      }),
    );
}
