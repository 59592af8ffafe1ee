/**
 * A progress bar for long work, drawn only on a TTY (in CI logs and pipes it
 * would be noise); elsewhere only the final line is printed.
 */
import type { Progress } from '../../shared/progress.js';

const BAR_WIDTH = 28;
const REDRAW_INTERVAL_MS = 100;

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }): Progress {
  const interactive = Boolean(stream.isTTY);
  let label = '';
  let total: number | undefined;
  let lastDraw = 0;
  return {
    start(newLabel, newTotal) {
      label = newLabel;
      total = newTotal;
      lastDraw = 0;
    },
    update(done, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      const now = Date.now();
      if (!interactive || now - lastDraw < REDRAW_INTERVAL_MS) return;
      lastDraw = now;
      if (total && total > 0) {
        const filled = Math.round((Math.min(done, total) / total) * BAR_WIDTH);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`);
      } else {
        stream.write(`\r${label} ${done}`);
      }
    },
    finish(summary) {
      stream.write(interactive ? `\r\u001b[2K${label}: ${summary}\n` : `${label}: ${summary}\n`);
    },
  };
}
