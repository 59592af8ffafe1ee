import { indentationComplexity, type FileComplexity } from './complexity.js';
import { runGit, startGit } from '../sources/git/index.js';

/** A file in the tree of the analysed commit. */
export interface HeadFile {
  path: string;
  /** git's heuristic: a NUL byte in the first 8,000 bytes. */
  binary: boolean;
  /** Size and indentation complexity; null for binary files or when content was not read. */
  complexity: FileComplexity | null;
}

export interface TreeEntry {
  path: string;
  blob: string;
}

export interface BlobMeasure {
  binary: boolean;
  complexity: FileComplexity | null;
}

const BINARY_PROBE_BYTES = 8000;
const SYMLINK_MODE = '120000';

/**
 * The regular files of `rev` (`git ls-tree -r`): submodules and symbolic links
 * are not files of this repository.
 */
export async function listTree(repo: string, rev: string): Promise<TreeEntry[]> {
  const listing = await runGit(repo, ['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', rev]);
  const entries: TreeEntry[] = [];
  for (const entry of listing.split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    const [mode, type, blob] = entry.slice(0, tab).split(' ') as [string, string, string];
    if (type === 'blob' && mode !== SYMLINK_MODE) entries.push({ path: entry.slice(tab + 1), blob });
  }
  return entries;
}

/** Reads each blob once through one `git cat-file --batch` and measures it. */
export async function measureBlobs(repo: string, blobs: Iterable<string>): Promise<Map<string, BlobMeasure>> {
  const measures = new Map<string, BlobMeasure>();
  const hashes = [...new Set(blobs)];
  if (hashes.length === 0) return measures;
  for await (const [hash, content] of readBlobs(repo, hashes)) {
    const binary = content.subarray(0, BINARY_PROBE_BYTES).includes(0);
    measures.set(hash, { binary, complexity: binary ? null : indentationComplexity(content.toString('utf8')) });
  }
  return measures;
}

/** The files of `rev`, measured when `withContent` (hotspots need sizes; truck factor only paths). */
export async function readHeadFiles(repo: string, rev: string, options: { withContent: boolean }): Promise<Map<string, HeadFile>> {
  const entries = await listTree(repo, rev);
  const measures = options.withContent
    ? await measureBlobs(
        repo,
        entries.map((e) => e.blob),
      )
    : new Map<string, BlobMeasure>();
  return new Map(
    entries.map(({ path, blob }) => {
      const measure = measures.get(blob);
      return [path, { path, binary: measure?.binary ?? false, complexity: measure?.complexity ?? null }];
    }),
  );
}

/** Streams `<hash> blob <size>\n<content>\n` records from `git cat-file --batch`. */
async function* readBlobs(repo: string, hashes: string[]): AsyncGenerator<[string, Buffer]> {
  const git = startGit(repo, ['cat-file', '--batch']);
  git.stdin.end(hashes.join('\n') + '\n');
  let buffer = Buffer.alloc(0);
  // A large blob arrives in many chunks: gather them and join once it is complete.
  let waiting: Buffer[] = [];
  let waitingLength = 0;
  let needed = 0;
  try {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
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
