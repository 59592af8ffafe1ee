import { runGit } from './git-process.js';
import type { GitTag } from './model.js';

const TAG_FORMAT = ['%(refname:strip=2)', '%(objecttype)', '%(objectname)', '%(*objecttype)', '%(*objectname)', '%(taggerdate:unix)'].join(
  '%00',
);

/**
 * Every tag with the commit it names and, for annotated tags, the tagger time.
 * One `git for-each-ref` call; a tag of a tag (rare) is peeled with rev-parse.
 */
export async function readTags(repoPath: string): Promise<GitTag[]> {
  const output = await runGit(repoPath, ['for-each-ref', `--format=${TAG_FORMAT}`, 'refs/tags']);
  const tags: GitTag[] = [];
  const nested: GitTag[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [name, type, objectSha, peeledType, peeledSha, taggerUnix] = line.split('\0') as [string, string, string, string, string, string];
    if (type === 'commit') {
      tags.push({ name, commitSha: objectSha, annotated: false, taggerTime: null });
    } else if (type === 'tag') {
      const tag: GitTag = {
        name,
        commitSha: peeledType === 'commit' ? peeledSha : null,
        annotated: true,
        taggerTime: taggerUnix === '' ? null : Number(taggerUnix) * 1000,
      };
      tags.push(tag);
      if (peeledType === 'tag') nested.push(tag);
    }
  }
  for (const tag of nested) {
    const sha = (await runGit(repoPath, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag.name}^{commit}`]).catch(() => '')).trim();
    tag.commitSha = sha === '' ? null : sha;
  }
  return tags;
}

/** Current tips of branches, tags and remote-tracking branches: where an incremental read starts. */
export async function readRefTips(repoPath: string): Promise<string[]> {
  const output = await runGit(repoPath, [
    'for-each-ref',
    '--format=%(objecttype) %(objectname) %(*objecttype) %(*objectname)',
    'refs/heads',
    'refs/tags',
    'refs/remotes',
  ]);
  const tips = new Set<string>();
  for (const line of output.split('\n')) {
    const [type, object, peeledType, peeled] = line.split(' ');
    // An annotated tag's own object is not a commit; the commit it peels to is the tip.
    if (type === 'commit' && object) tips.add(object);
    else if (type === 'tag' && peeledType === 'commit' && peeled) tips.add(peeled);
  }
  return [...tips].sort();
}
