import { indentationComplexity, type FileComplexity } from './complexity.js';
import { runGit, startGit } from './git-process.js';

/** A file in the tree of the analysed commit. */
export interface HeadFile {
  path: string;
  /** git's heuristic: a NUL byte in the first 8,000 bytes. */
  binary: boolean;
  /** Size and indentation complexity; null for binary files or when content was not read. */
  complexity: FileComplexity | null;
}

const BINARY_PROBE_BYTES = 8000;
const SYMLINK_MODE = '120000';

/**
 * Lists the regular files of `rev` (`git ls-tree -r`; submodules and symbolic
 * links are not files of this repository) and, when `withContent`, reads every
 * blob once through one `git cat-file --batch` process to measure it.
 */
export async function readHeadFiles(repo: string, rev: string, options: { withContent: boolean }): Promise<Map<string, HeadFile>> {
  const listing = await runGit(repo, ['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', rev]);
  if (listing.code !== 0) throw new Error(listing.stderr);
  const blobs = new Map<string, string[]>();
  const files = new Map<string, HeadFile>();
  for (const entry of listing.stdout.split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    const [mode, type, hash] = entry.slice(0, tab).split(' ') as [string, string, string];
    if (type !== 'blob' || mode === SYMLINK_MODE) continue;
    const path = entry.slice(tab + 1);
    files.set(path, { path, binary: false, complexity: null });
    const paths = blobs.get(hash);
    if (paths) paths.push(path);
    else blobs.set(hash, [path]);
  }
  if (!options.withContent || blobs.size === 0) return files;
  for await (const [hash, content] of readBlobs(repo, [...blobs.keys()])) {
    const binary = content.subarray(0, BINARY_PROBE_BYTES).includes(0);
    const complexity = binary ? null : indentationComplexity(content.toString('utf8'));
    for (const path of blobs.get(hash) ?? []) files.set(path, { path, binary, complexity });
  }
  return files;
}

/** Streams `<hash> blob <size>\n<content>\n` records from `git cat-file --batch`. */
async function* readBlobs(repo: string, hashes: string[]): AsyncGenerator<[string, Buffer]> {
  const git = startGit(repo, ['cat-file', '--batch']);
  git.child.stdin.end(hashes.join('\n') + '\n');
  let buffer = Buffer.alloc(0);
  // A large blob arrives in many chunks: gather them and join once it is complete.
  let waiting: Buffer[] = [];
  let waitingLength = 0;
  let needed = 0;
  try {
    for await (const chunk of git.child.stdout as AsyncIterable<Buffer>) {
      waiting.push(chunk);
      waitingLength += chunk.length;
      if (buffer.length + waitingLength < needed) continue;
      buffer = Buffer.concat([buffer, ...waiting]);
      waiting = [];
      waitingLength = 0;
      needed = 0;
      let offset = 0;
      for (;;) {
        const newline = buffer.indexOf(10, offset);
        if (newline === -1) break;
        const [hash, type, sizeText] = buffer.toString('utf8', offset, newline).split(' ') as [string, string, string];
        if (type === 'missing' || sizeText === undefined) throw new Error(`git cat-file: object ${hash} is missing in ${repo}`);
        const end = newline + 1 + Number(sizeText);
        if (buffer.length < end + 1) {
          needed = end + 1 - offset;
          break;
        }
        yield [hash, buffer.subarray(newline + 1, end)];
        offset = end + 1;
      }
      buffer = buffer.subarray(offset);
    }
    await git.finished();
  } finally {
    git.stop();
  }
}
