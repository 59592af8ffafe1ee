import picomatch from 'picomatch';

/**
 * Files that say little about who knows a system: code copied in from
 * elsewhere (vendored), files a tool writes (generated) and prose
 * (documentation). Avelino et al. remove such files before computing truck
 * factors (they used GitHub Linguist's lists); these globs follow the same
 * idea. Truck factor and knowledge risk leave them out by default and list
 * them, so nothing disappears silently.
 */
export type ExclusionReason = 'vendored' | 'generated' | 'documentation';

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
  ],
  generated: [
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
};

const REASONS = Object.keys(DEFAULT_EXCLUSIONS) as ExclusionReason[];
const MATCHERS = REASONS.map((reason) => [reason, picomatch([...DEFAULT_EXCLUSIONS[reason]], { dot: true, nocase: true })] as const);

/** Why a path is excluded by default, or null when it is kept. */
export function defaultExclusionReason(path: string): ExclusionReason | null {
  for (const [reason, matches] of MATCHERS) if (matches(path)) return reason;
  return null;
}
