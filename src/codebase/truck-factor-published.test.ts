import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/stores.js';
import { analysisOptionsSchema } from './model.js';
import { runAnalysis } from './run-analysis.js';
import type { TruckFactorReport } from './analyses.js';

/**
 * Truck factor on real histories against the values the authors of the method
 * publish: Avelino, Passos, Hora & Valente, "A novel approach for estimating
 * truck factors" (ICPC 2016), whose tool's README (aserg-ufmg/Truck-Factor,
 * README.md, section "Example", added 2017-08-06) lists "TF values as estimated
 * by this tool for some popular GitHub projects (using data from November,
 * 2016)". Each history is a git bundle of the last first-parent commit on or
 * before 2016-11-30, beside its project's licence.
 *
 * The bundle (src/test-support/testdata/truck-factor, with the project's
 * licence) is vuejs/vue, the one history on that list small enough to carry
 * (4.6 MB). scripts/truck-factor-check.mjs runs the same check on the other
 * repositories of the list from full clones (bench/results/truck-factor-check.json:
 * 7 of 10 agree, each disagreement with its reason).
 */
const BUNDLES = path.resolve(import.meta.dirname, '..', 'test-support', 'testdata', 'truck-factor');

const PUBLISHED = [
  // aserg-ufmg/Truck-Factor README: "vue: 1".
  {
    label: 'vuejs/vue',
    bundle: 'vue-2016-11-30.bundle',
    revision: 'de7764a38573e6e08498e9771d566968432d39e9',
    truckFactor: 1,
    developers: ['Evan You'],
  },
] as const;

describe('truck factor on real histories (published values)', () => {
  for (const project of PUBLISHED) {
    const bundle = path.join(BUNDLES, project.bundle);
    it(
      `${project.label} at ${project.revision.slice(0, 12)}: ${project.truckFactor}, as the authors' tool`,
      { timeout: 120_000 },
      async () => {
        // A bare clone: HEAD is the snapshot, so git reads the snapshot's own .mailmap, as the tool did in its checkout.
        const dir = path.join(makeTempDir('sextant-tf-'), 'repo.git');
        execFileSync('git', ['clone', '--quiet', '--bare', bundle, dir]);
        const run = await runAnalysis('truck-factor', { kind: 'repo', repo: dir, rev: project.revision }, analysisOptionsSchema.parse({}));
        expect(run.rev).toBe(project.revision);
        const report = run.result as TruckFactorReport;
        expect(report.truckFactor).toBe(project.truckFactor);
        // The one developer whose removal leaves most files without an author: the project's creator.
        expect(report.developers.map((d) => d.name)).toEqual(project.developers);
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      },
    );
  }
});
