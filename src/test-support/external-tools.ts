import fs from 'node:fs';
import path from 'node:path';

/**
 * Tests that drive a real external program (Chromium, promtool, Prometheus)
 * run when it is installed. Without it they are skipped with a loud message,
 * so `npm test` still works on a machine with only Node.js and git — unless
 * SEXTANT_REQUIRE_TOOLS is set, as `.ci/run` does, where a missing tool fails
 * the run instead of silently testing less.
 */
export function externalTool(nameOrPath: string, install: string): boolean {
  const found = path.isAbsolute(nameOrPath) ? fs.existsSync(nameOrPath) : onPath(nameOrPath);
  if (!found) {
    const message = `\n*** Tests that need ${nameOrPath} are SKIPPED: it is not installed (${install}). ***\n`;
    if (process.env.SEXTANT_REQUIRE_TOOLS) throw new Error(message);
    process.stderr.write(message);
  }
  return found;
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)));
}

export const promtoolAvailable = () => externalTool('promtool', 'apt-get install -y prometheus');
export const prometheusAvailable = () => externalTool('prometheus', 'apt-get install -y prometheus');
/** Debian's `prometheus-alertmanager` package installs the binary under this name. */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
export const alertmanagerAvailable = () => externalTool(ALERTMANAGER_BINARY, 'apt-get install -y prometheus-alertmanager');
