import picomatch from 'picomatch';

/**
 * The one classification of files every analysis shares: code copied in from
 * elsewhere (vendored, after GitHub Linguist's vendor rules), files a tool
 * writes (generated), dependency lockfiles, prose (documentation) and binary
 * assets. Everything else is code. Each analysis leaves some classes out by
 * default and lists what it left out, so nothing disappears silently:
 * - hotspots, coupling, sum of coupling and age: code only (every class out);
 * - truck factor and knowledge risk: also code only, the file set of Avelino et
 *   al. (ICPC 2016), who keep the files GitHub Linguist counts as source code
 *   ("we also used github/linguist to discard non-source code files (e.g.,
 *   documentation) and also third-party files"); `--keep-docs` keeps
 *   documentation.
 * `--no-default-excludes` keeps every file; `--exclude <glob>` drops more.
 */
export type ExclusionReason = 'vendored' | 'generated' | 'lockfile' | 'documentation' | 'binary';

/**
 * Classes left out by default: code-only analyses drop every class; so does the truck factor (the paper's set),
 * except documentation when asked to keep it.
 */
export const CODE_ONLY: readonly ExclusionReason[] = ['vendored', 'generated', 'lockfile', 'documentation', 'binary'];
export const TRUCK_FACTOR_SET: readonly ExclusionReason[] = ['vendored', 'generated', 'lockfile', 'binary'];

export const DEFAULT_EXCLUSIONS: Record<ExclusionReason, readonly string[]> = {
  vendored: [
    '**/node_modules/**',
    '**/vendor/**',
    '**/vendors/**',
    '**/third_party/**',
    '**/third-party/**',
    '**/thirdparty/**',
    '**/bower_components/**',
    '**/external/**',
    '**/*.min.js',
    '**/*.min.css',
    // Library files and build output by Linguist's vendor rules: a copy of jQuery, AngularJS or Bootstrap
    // (angular-locale_*.js, jquery.js), minified copies, dist/.
    '**/dist/**',
    '**/*-min.{js,css}',
    '**/angular*.js',
    '**/jquery*.js',
    '**/bootstrap*.{js,css,less,scss,styl}',
  ],
  lockfile: [
    '**/package-lock.json',
    '**/npm-shrinkwrap.json',
    '**/yarn.lock',
    '**/pnpm-lock.yaml',
    '**/Cargo.lock',
    '**/go.sum',
    '**/poetry.lock',
    '**/Pipfile.lock',
    '**/Gemfile.lock',
    '**/composer.lock',
    '**/requirements*.txt',
    '**/requirements/*.txt',
    '**/uv.lock',
    '**/mix.lock',
    '**/flake.lock',
  ],
  generated: [
    '**/*.pb.go',
    '**/*_pb2.py',
    '**/*_pb2_grpc.py',
    '**/*.pb.cc',
    '**/*.pb.h',
    '**/*.generated.*',
    '**/*.g.dart',
    '**/*.designer.cs',
    '**/__generated__/**',
    '**/generated/**',
  ],
  documentation: [
    '**/docs/**',
    '**/doc/**',
    '**/documentation/**',
    '**/*.md',
    '**/*.markdown',
    '**/*.rst',
    '**/*.adoc',
    '**/README',
    '**/README.*',
    '**/CHANGELOG',
    '**/CHANGELOG.*',
    '**/CHANGES',
    '**/LICENSE',
    '**/LICENSE.*',
    '**/LICENCE',
    '**/LICENCE.*',
    '**/COPYING',
    '**/NOTICE',
    '**/AUTHORS',
    '**/CONTRIBUTING',
    '**/CONTRIBUTING.*',
  ],
  binary: [
    '**/*.{png,jpg,jpeg,gif,bmp,ico,icns,webp,tif,tiff,psd}',
    '**/*.{pdf,zip,gz,tgz,bz2,xz,7z,rar,jar,war,whl,egg}',
    '**/*.{woff,woff2,ttf,otf,eot}',
    '**/*.{mp3,mp4,wav,ogg,mov,avi,webm}',
    '**/*.{exe,dll,so,dylib,a,o,obj,class,pyc,bin,dat,db,sqlite}',
  ],
};

const REASONS = Object.keys(DEFAULT_EXCLUSIONS) as ExclusionReason[];
const MATCHERS = REASONS.map((reason) => [reason, picomatch([...DEFAULT_EXCLUSIONS[reason]], { dot: true, nocase: true })] as const);

/** The class of a path, or null for code. */
export function defaultExclusionReason(path: string): ExclusionReason | null {
  for (const [reason, matches] of MATCHERS) if (matches(path)) return reason;
  return null;
}

/** A memoised test: is the path kept when `classes` are left out? (Entities recur in thousands of commits.) */
export function keptOutside(classes: readonly ExclusionReason[]): (path: string) => boolean {
  const memo = new Map<string, boolean>();
  return (path) => {
    let kept = memo.get(path);
    if (kept === undefined) {
      const reason = defaultExclusionReason(path);
      memo.set(path, (kept = reason === null || !classes.includes(reason)));
    }
    return kept;
  };
}
