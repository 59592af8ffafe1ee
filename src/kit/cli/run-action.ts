import { formatIssue, SextantError, ValidationError } from '../../shared/errors.js';
import type { OutputStreams } from './output.js';

/** Exit codes: documented in the README's CLI reference. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID_INPUT = 2;

/**
 * Runs a command body and maps errors once: a message on stderr (each
 * validation issue on its own `file:line:column field: message` line) and a
 * non-zero exit code. Stack traces only for unexpected errors.
 */
export function runAction<A extends unknown[]>(out: OutputStreams, body: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await body(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (error) {
      process.exitCode = reportError(out, error);
    }
  };
}

export function reportError(out: OutputStreams, error: unknown): number {
  if (error instanceof ValidationError) {
    out.stderr.write(`error: ${error.message}\n`);
    for (const issue of error.issues) out.stderr.write(`  ${formatIssue(issue)}\n`);
    return EXIT_INVALID_INPUT;
  }
  if (error instanceof SextantError) {
    out.stderr.write(`error: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'ECONNREFUSED') {
    out.stderr.write(`error: cannot reach the database (${err.message}); check DATABASE_URL\n`);
    return EXIT_FAILURE;
  }
  out.stderr.write(`error: ${err?.stack ?? String(error)}\n`);
  return EXIT_FAILURE;
}
