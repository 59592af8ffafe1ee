import { ValidationError } from '../shared/errors.js';
import { instantRangeProblem } from '../shared/instant-range.js';

/**
 * Bounds on the work one read may ask for. A window (`from`..`to`) is at most
 * MAX_WINDOW_DAYS long and lies within the stored instants' range, so a
 * request like `from=0001-01-01&to=9999-12-31` gets a 400 naming the limit
 * instead of tying up the server (it ran 49 s and returned 287 MB).
 */
export const MAX_WINDOW_DAYS = 1830; // five years, with leap days: the longest span the dashboard offers
const DAY_MS = 86_400_000;

/** Checks a read window; throws a 400 naming the field and the limit. */
export function checkWindow(window: { from: number; to: number }, fields = { from: 'query.from', to: 'query.to' }): void {
  const issues: Array<{ field: string; message: string }> = [];
  const fromProblem = instantRangeProblem(window.from);
  if (fromProblem) issues.push({ field: fields.from, message: fromProblem });
  // `to` is exclusive: the window's last instant is to - 1 ms.
  const toProblem = instantRangeProblem(window.to - 1);
  if (toProblem) issues.push({ field: fields.to, message: toProblem });
  if (issues.length === 0 && window.to - window.from > MAX_WINDOW_DAYS * DAY_MS) {
    issues.push({
      field: fields.from,
      message: `the window from \`from\` to \`to\` is ${Math.ceil((window.to - window.from) / DAY_MS)} days; the limit is ${MAX_WINDOW_DAYS} days`,
    });
  }
  if (issues.length > 0) throw new ValidationError('The window is out of bounds', issues);
}
