/**
 * Sextant's typed errors. Each carries a stable `type` that surfaces map once:
 * the HTTP server turns them into application/problem+json (server/problem.ts),
 * the CLI into a message on stderr and an exit code (cli/run-command.ts).
 * Nothing anywhere decides what an error means from its message text.
 */

export type ProblemType = 'validation' | 'not-found' | 'conflict' | 'unauthorized' | 'payload-too-large' | 'unavailable' | 'internal';

/** One problem with one input field, located as precisely as the input allows. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `services[2].team` or `body.name`. */
  field: string;
  message: string;
  /** Source file for file input (configuration, CSV). */
  file?: string;
  /** 1-based line and column in `file`, or the 1-based row of a batch. */
  line?: number;
  column?: number;
}

export abstract class SextantError extends Error {
  abstract readonly type: ProblemType;
  abstract readonly status: number;
}

export class ValidationError extends SextantError {
  readonly type = 'validation';
  readonly status = 400;
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends SextantError {
  readonly type = 'not-found';
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends SextantError {
  readonly type = 'conflict';
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export class UnauthorizedError extends SextantError {
  readonly type = 'unauthorized';
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export class UnavailableError extends SextantError {
  readonly type = 'unavailable';
  readonly status = 503;
  constructor(
    message: string,
    /** When set, the HTTP answer carries `Retry-After` with this many seconds: trying again may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/** `file:line:column field: message`, the form editors and terminals link. */
export function formatIssue(issue: FieldIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
  const prefix = where ? `${where} ` : '';
  return `${prefix}${issue.field}: ${issue.message}`;
}
