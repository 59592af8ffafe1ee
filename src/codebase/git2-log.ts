import fs from 'node:fs';
import readline from 'node:readline';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { parseCalendarDate, type RawCommit, type RawFileChange } from './model.js';

/**
 * Reads a log in code-maat's git2 format, the output of
 *
 *   git log --all --numstat --date=short --pretty=format:'--%h--%ad--%aN' --no-renames
 *
 * A commit line `--HASH--YYYY-MM-DD--AUTHOR` is followed by numstat lines
 * `ADDED<TAB>DELETED<TAB>PATH` (`-` for binary files) and a blank line. A
 * commit line with no numstat lines (a merge) is an empty commit and is
 * skipped. Logs made without `--no-renames` show renames as `old => new` or
 * `dir/{old => new}/file`; those are read as renames so history follows them.
 *
 * Commits are yielded as they are read; the first bad line stops the stream
 * with an error naming the file, line and column (the CLI prints nothing of
 * a half-read log).
 */
const COMMIT_LINE = /^--([0-9a-fA-F]+)--(\d{4}-\d{2}-\d{2})--(.*)$/;
const NUMSTAT_LINE = /^(-|\d+)\t(-|\d+)\t(.+)$/;

export async function* readGit2Log(file: string): AsyncGenerator<RawCommit> {
  if (!fs.existsSync(file)) throw logError(file, undefined, 'the log file does not exist');
  if (fs.statSync(file).isDirectory()) throw logError(file, undefined, 'is a folder; --log takes a file made with git log');
  let current: RawCommit | null = null;
  let lineNumber = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const rawLine of lines) {
    lineNumber++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    const commitMatch = COMMIT_LINE.exec(line);
    if (commitMatch) {
      const [, rev, date, author] = commitMatch as unknown as [string, string, string, string];
      const time = parseCalendarDate(date);
      if (time === null) throw logError(file, lineNumber, `"${date}" is not a calendar date`, rev.length + 5);
      if (current !== null && current.changes.length > 0) yield current;
      current = { rev, time, date, authorName: author, authorEmail: '', changes: [] };
      continue;
    }
    const numstatMatch = NUMSTAT_LINE.exec(line);
    if (numstatMatch) {
      if (current === null) throw logError(file, lineNumber, 'a numstat line comes before any commit line `--HASH--YYYY-MM-DD--AUTHOR`');
      const [, added, deleted, path] = numstatMatch as unknown as [string, string, string, string];
      current.changes.push(toChange(added, deleted, path));
      continue;
    }
    throw logError(
      file,
      lineNumber,
      'expected a commit line `--HASH--YYYY-MM-DD--AUTHOR`, a numstat line `ADDED<TAB>DELETED<TAB>PATH` or a blank line',
    );
  }
  if (current !== null && current.changes.length > 0) yield current;
}

function toChange(added: string, deleted: string, path: string): RawFileChange {
  const binary = added === '-' || deleted === '-';
  const rename = parseRename(path);
  return {
    path: rename?.path ?? path,
    previousPath: rename?.previousPath ?? null,
    added: binary ? 0 : Number(added),
    deleted: binary ? 0 : Number(deleted),
    binary,
  };
}

/** `a/{b => c}/d` -> previous `a/b/d`, path `a/c/d`; `old => new` -> the two names. */
export function parseRename(text: string): { previousPath: string; path: string } | null {
  const brace = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(text);
  if (brace) {
    const [, prefix, from, to, suffix] = brace as unknown as [string, string, string, string, string];
    return { previousPath: joinParts(prefix, from, suffix), path: joinParts(prefix, to, suffix) };
  }
  const plain = text.split(' => ');
  if (plain.length === 2) return { previousPath: plain[0] as string, path: plain[1] as string };
  return null;
}

// `src/{ => lib}/a.ts` has an empty side: joining leaves `src//a.ts`.
function joinParts(prefix: string, middle: string, suffix: string): string {
  return (prefix + middle + suffix).replace(/\/{2,}/g, '/');
}

function logError(file: string, line: number | undefined, message: string, column?: number): ValidationError {
  const issue: FieldIssue = { field: 'log', file, message };
  if (line !== undefined) issue.line = line;
  if (column !== undefined) issue.column = column;
  return new ValidationError('Invalid git log', [issue]);
}
