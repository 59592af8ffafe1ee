import type { Kysely } from 'kysely';
import type { ReviewRow, ReviewSectionContent, SeriesRange } from '../kit/module.js';
import { capRows, reviewAt, reviewFrom } from '../kit/review.js';
import type { Database } from '../store/database.js';
import { isBehind } from './grading.js';
import type { OkrLinks } from './links.js';
import { okrReport, type KeyResultView, type ObjectiveView } from './service.js';
import { listPeriods, loadSettings } from './store.js';

type Db = Kysely<Database>;

/** A committed objective is at risk when a key result's latest confidence is below this (0-10: less than even odds). */
export const AT_RISK_CONFIDENCE = 5;

const fixed = (n: number) => n.toFixed(2);

/**
 * The OKR section of the weekly review, graded at the end of the week for
 * every period that contains the week's last day: per period its score and
 * expected progress; objectives behind (score below expected progress minus
 * the tolerance); key results behind; committed objectives at risk (flagged
 * at period end, a key result behind, or a key result whose latest confidence
 * is below 5/10); and confidence drops (a key result whose latest confidence
 * stated during the week is lower than the latest one before it). Each row
 * links to the period on the OKRs page. Null when no period contains the week.
 */
export async function okrsReviewSection(db: Db, range: SeriesRange, links: OkrLinks = {}): Promise<ReviewSectionContent | null> {
  const at = reviewAt(range);
  const from = reviewFrom(range);
  const periods = (await listPeriods(db)).filter((p) => p.start <= range.to && p.end >= range.to);
  if (periods.length === 0) return null;
  const settings = await loadSettings(db);
  const metrics = links.metrics?.(db).values;
  const rows: ReviewRow[] = [];
  for (const period of periods) {
    const report = await okrReport(db, { period: period.id }, at - 1, { ...settings, ...(metrics ? { metrics } : {}) });
    const href = `/okrs?period=${encodeURIComponent(period.id)}`;
    const expected = report.expectedProgress ?? 0;
    const tolerance = settings.behindTolerance;
    const krs = report.objectives.flatMap((o) => o.keyResults.map((kr) => ({ objective: o, kr })));
    const behindObjectives = report.objectives.filter((o) => isBehind(o.score, expected, tolerance));
    const behindKrs = krs.filter(({ kr }) => kr.behind);
    const atRisk = report.objectives.filter((o) => o.kind === 'committed' && riskReasons(o).length > 0);
    const drops = krs.flatMap(({ objective, kr }) => {
      const drop = confidenceDrop(kr, from, at);
      return drop ? [{ objective, kr, ...drop }] : [];
    });
    rows.push(
      {
        label: `Period ${period.id}`,
        value: `score ${report.score === null ? 'n/a' : fixed(report.score)} (${report.band ?? 'n/a'}), expected progress ${fixed(expected)}`,
        href,
      },
      ...capRows(
        behindObjectives.map((o) => ({
          label: `Objective behind: ${o.title}`,
          value: `score ${fixed(o.score)} (${o.band}) vs expected ${fixed(expected)}${o.teamId ? `, team ${o.teamId}` : ', company'}`,
          href,
        })),
        { label: 'Objectives behind not listed', href },
      ),
      ...capRows(
        behindKrs.map(({ objective, kr }) => ({
          label: `Key result behind: ${kr.title}`,
          value: `progress ${fixed(kr.progress)} vs expected ${fixed(expected)}${kr.confidence === null ? '' : `, confidence ${kr.confidence}/10`} (${objective.title})`,
          href,
        })),
        { label: 'Key results behind not listed', href },
      ),
      ...capRows(
        atRisk.map((o) => ({
          label: `Committed objective at risk: ${o.title}`,
          value: `score ${fixed(o.score)}: ${riskReasons(o).join('; ')}`,
          href,
        })),
        { label: 'Committed objectives at risk not listed', href },
      ),
      ...capRows(
        drops.map(({ objective, kr, before, after }) => ({
          label: `Confidence dropped: ${kr.title}`,
          value: `${before}/10 to ${after}/10 this week (${objective.title})`,
          href,
        })),
        { label: 'Confidence drops not listed', href },
      ),
    );
  }
  return { title: 'OKRs', rows };
}

function riskReasons(o: ObjectiveView): string[] {
  const reasons: string[] = [];
  if (o.flagged) reasons.push('period over below 1.0');
  const behind = o.keyResults.filter((kr) => kr.behind).map((kr) => kr.id);
  if (behind.length > 0) reasons.push(`behind: ${behind.join(', ')}`);
  const low = o.keyResults.filter((kr) => kr.confidence !== null && kr.confidence < AT_RISK_CONFIDENCE);
  if (low.length > 0) reasons.push(`low confidence: ${low.map((kr) => `${kr.id} ${kr.confidence}/10`).join(', ')}`);
  return reasons;
}

/** The latest confidence stated in [from, at) against the latest before `from`, when it is lower. */
function confidenceDrop(kr: KeyResultView, from: number, at: number): { before: number; after: number } | null {
  const trend = kr.confidenceTrend.map((c) => ({ at: Date.parse(c.at), confidence: c.confidence }));
  const before = trend.filter((c) => c.at < from).at(-1);
  const after = trend.filter((c) => c.at >= from && c.at < at).at(-1);
  if (!before || !after || after.confidence >= before.confidence) return null;
  return { before: before.confidence, after: after.confidence };
}
