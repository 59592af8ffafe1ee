import type { InitTemplateOptions } from '../kit/config.js';
import type { AnyModule } from '../kit/module.js';

/**
 * The commented starter written by `sextant init`: the workspace header, then
 * each module's section in module order. It is valid as written (a test
 * loads it).
 */
export function initTemplate(modules: readonly AnyModule[], options: InitTemplateOptions): string {
  const reference = options.docsFile ?? 'docs/configuration.md in the Sextant installation';
  const header = `# Sextant workspace configuration. Every field is described in
#   ${reference}
# After editing, run \`sextant sync\` (or restart \`sextant serve\`) to apply it.
# An invalid file is rejected as a whole with the line and field of each problem.
version: 1

workspace:
  name: ${JSON.stringify(options.name)}
  # IANA time zone used for calendar weeks and months in reports.
  timezone: UTC

`;
  const sections = modules.flatMap((module) => (module.config?.template ? [module.config.template(options).trimEnd() + '\n'] : []));
  return header + sections.join('\n');
}
