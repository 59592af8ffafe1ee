import type { DialectName } from '../src/store/database.js';
import { runCrashRound, type CrashRoundResult } from '../src/test-support/crash-round.js';
import { makeServeTarget } from '../src/test-support/serve-targets.js';
import type { Benchmark, BenchmarkResult } from './harness.js';

/** Issue 9: "SIGKILL consistency stays 20/20 on SQLite and 10/10 on PostgreSQL with 8 concurrent writers, now with zero 500s". */
const ROUNDS: Record<DialectName, number> = { sqlite: 20, postgres: 10 };
const WRITERS = 8;
/** The kill point moves from round to round: after 100, 125, ... 275 acknowledged writes. */
const killAfter = (round: number) => 100 + 25 * (round % 8);

const benchmark: Benchmark = {
  name: 'crash-rounds',
  description: `SIGKILL during ${WRITERS} concurrent writers (service PUTs and deployment batches to shared services), then check the store: rounds consistent and responses by status`,
  async run() {
    const url = process.env.SEXTANT_TEST_DATABASE_URL;
    const dialects: DialectName[] = url ? ['sqlite', 'postgres'] : ['sqlite'];
    const input: BenchmarkResult['input'] = { writers: WRITERS, killAfterAcknowledged: '100 to 275 writes, by round' };
    const figures: Record<string, number> = {};
    const targets: NonNullable<BenchmarkResult['targets']> = [];
    const notes = [
      'Each round: a fresh store (SQLite file, or PostgreSQL database), `sextant serve` as a child process, 8 writers alternating a service PUT (6 environments) and a batch of 4 deployments to the 2 shared services, SIGKILL, then the checks of src/server/crash-consistency.test.ts: every acknowledged write present, no partial service or batch, SQLite integrity_check and foreign_key_check clean, `org list` opens the store again.',
      '"no response" counts requests cut by the kill.',
    ];
    notes.push(
      url
        ? 'PostgreSQL: run as `SEXTANT_TEST_DATABASE_URL=<url> npm run bench -- crash-rounds`, against a cluster started by scripts/test-postgres.sh (fsync off: the server process is killed, not the database).'
        : 'PostgreSQL not measured: SEXTANT_TEST_DATABASE_URL was not set.',
    );

    for (const dialect of dialects) {
      const rounds: CrashRoundResult[] = [];
      for (let round = 0; round < ROUNDS[dialect]; round++) {
        const target = await makeServeTarget(dialect, 'sextant-crash-rounds-');
        try {
          rounds.push(await runCrashRound(target, { writers: WRITERS, acknowledgedBeforeKill: killAfter(round) }));
        } finally {
          await target.cleanup();
        }
        const last = rounds[rounds.length - 1] as CrashRoundResult;
        console.log(`  ${dialect} round ${round + 1}: ${JSON.stringify(last.statuses)} problems ${last.problems.length}`);
      }
      const consistent = rounds.filter((r) => r.problems.length === 0).length;
      const statuses: Record<string, number> = {};
      for (const round of rounds)
        for (const [status, count] of Object.entries(round.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
      const serverErrors = rounds.reduce((sum, r) => sum + (r.statuses['500'] ?? 0), 0);
      input[`${dialect}Rounds`] = rounds.length;
      figures[`${dialect}RoundsConsistent`] = consistent;
      figures[`${dialect}Requests`] = rounds.reduce((sum, r) => sum + r.requests, 0);
      figures[`${dialect}AcknowledgedServices`] = rounds.reduce((sum, r) => sum + r.acknowledged.services, 0);
      figures[`${dialect}AcknowledgedDeploymentBatches`] = rounds.reduce((sum, r) => sum + r.acknowledged.deploymentBatches, 0);
      for (const [status, count] of Object.entries(statuses))
        figures[`${dialect}Status${status === 'no response' ? 'NoResponse' : status}`] = count;
      figures[`${dialect}Status500`] = serverErrors;
      figures[`${dialect}MedianRoundSeconds`] = rounds.map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(rounds.length / 2)] as number;
      targets.push({
        description: `${ROUNDS[dialect]}/${ROUNDS[dialect]} rounds consistent on ${dialect} with zero 500s`,
        met: consistent === ROUNDS[dialect] && serverErrors === 0,
      });
      for (const [i, round] of rounds.entries()) {
        for (const problem of round.problems.slice(0, 5)) notes.push(`${dialect} round ${i + 1}: ${problem}`);
        for (const error of round.serverErrors) notes.push(`${dialect} round ${i + 1}: ${error}`);
      }
    }
    return { input, figures, targets, notes };
  },
};

export default benchmark;
