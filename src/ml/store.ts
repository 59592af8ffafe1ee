import type { Kysely } from 'kysely';
import { NotFoundError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import type {
  ConfidenceEntry,
  Experiment,
  ExperimentDecision,
  GateRecord,
  KillCondition,
  KillCriterion,
  PhaseEntry,
  PhaseName,
  Project,
  QualityDirection,
  Reading,
} from './model.js';
import type { GateDecision } from './phases.js';
import type { MlExperimentRow, MlProjectRow } from './tables.js';
import type { KeyResultMlWork } from '../kit/lookups.js';
import './tables.js';

/** Every SQL query of the ML module. Writes that belong together run in one transaction (the caller's `db`). */
export type Db = Kysely<Database>;
export type RowSource = 'api' | 'demo';

export interface KillFlag {
  projectId: string;
  criterionId: string;
  metAt: number;
  evidence: string;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

// --- Projects -----------------------------------------------------------------------

export async function projectExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('ml_projects').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function loadProject(db: Db, id: string): Promise<Project> {
  const projects = await loadProjects(db, [id]);
  const project = projects[0];
  if (!project) throw new NotFoundError(`ML project "${id}" does not exist`);
  return project;
}

/** Projects by id (all when `ids` is undefined), with their histories, ordered by id. */
export async function loadProjects(db: Db, ids?: readonly string[]): Promise<Project[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const byProject = ids === undefined ? null : [...ids];
  const [rows, entries, gates, criteria, confidence, quality] = await Promise.all([
    db
      .selectFrom('ml_projects')
      .selectAll()
      .$if(byProject !== null, (q) => q.where('id', 'in', byProject as string[]))
      .orderBy('id')
      .execute(),
    db
      .selectFrom('ml_phase_entries')
      .selectAll()
      .$if(byProject !== null, (q) => q.where('project_id', 'in', byProject as string[]))
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('ml_gates')
      .selectAll()
      .$if(byProject !== null, (q) => q.where('project_id', 'in', byProject as string[]))
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('ml_kill_criteria')
      .selectAll()
      .$if(byProject !== null, (q) => q.where('project_id', 'in', byProject as string[]))
      .orderBy('position')
      .execute(),
    db
      .selectFrom('ml_confidence')
      .selectAll()
      .$if(byProject !== null, (q) => q.where('project_id', 'in', byProject as string[]))
      .orderBy('at')
      .execute(),
    db
      .selectFrom('ml_quality')
      .selectAll()
      .$if(byProject !== null, (q) => q.where('project_id', 'in', byProject as string[]))
      .orderBy('at')
      .execute(),
  ]);
  return rows.map((row) => ({
    ...projectFromRow(row),
    entries: entries
      .filter((e) => e.project_id === row.id)
      .map((e): PhaseEntry => ({ seq: e.seq, phase: e.phase as PhaseName, startedAt: e.started_at, endedAt: e.ended_at })),
    gates: gates
      .filter((g) => g.project_id === row.id)
      .map((g): GateRecord => ({
        seq: g.seq,
        phase: g.phase as PhaseName,
        decision: g.decision as GateDecision,
        decidedBy: g.decided_by,
        decidedAt: g.decided_at,
        evidence: JSON.parse(g.evidence) as string[],
        checklist: JSON.parse(g.checklist) as Record<string, boolean>,
        note: g.note,
        pivotTo: g.pivot_to as PhaseName | null,
      })),
    killCriteria: criteria
      .filter((c) => c.project_id === row.id)
      .map((c): KillCriterion => ({ id: c.id, description: c.description, condition: JSON.parse(c.condition) as KillCondition })),
    confidence: confidence
      .filter((c) => c.project_id === row.id)
      .map((c): ConfidenceEntry => ({ at: c.at, value: c.value, note: c.note, statedBy: c.stated_by })),
    quality: quality.filter((q) => q.project_id === row.id).map((q): Reading => ({ at: q.at, value: q.value })),
  }));
}

function projectFromRow(row: MlProjectRow) {
  return {
    id: row.id,
    name: row.name,
    productOwner: row.product_owner,
    businessSponsor: row.business_sponsor,
    businessMetric: row.business_metric,
    businessMetricId: row.business_metric_id,
    qualityMetric: row.quality_metric,
    qualityThreshold: row.quality_threshold,
    qualityDirection: row.quality_direction as QualityDirection,
    productionPath: row.production_path,
    teams: JSON.parse(row.teams) as string[],
    keyResult: row.key_result,
    startedAt: row.started_at,
    status: row.status as Project['status'],
    learning: row.learning,
    plan: JSON.parse(row.plan) as Project['plan'],
    checklist: JSON.parse(row.checklist) as Project['checklist'],
  };
}

/** Writes a whole project (the demo, `project add`): its row and every history. */
export async function insertProject(db: Db, project: Project, source: RowSource, now: number): Promise<void> {
  await db
    .insertInto('ml_projects')
    .values({
      id: project.id,
      name: project.name,
      product_owner: project.productOwner,
      business_sponsor: project.businessSponsor,
      business_metric: project.businessMetric,
      business_metric_id: project.businessMetricId,
      quality_metric: project.qualityMetric,
      quality_threshold: project.qualityThreshold,
      quality_direction: project.qualityDirection,
      production_path: project.productionPath,
      teams: JSON.stringify(project.teams),
      key_result: project.keyResult,
      started_at: project.startedAt,
      status: project.status,
      learning: project.learning,
      plan: JSON.stringify(project.plan),
      checklist: JSON.stringify(project.checklist),
      source,
      created_at: now,
    })
    .execute();
  for (const entry of project.entries) await insertEntry(db, project.id, entry);
  for (const gate of project.gates) await insertGate(db, project.id, gate);
  if (project.killCriteria.length > 0) {
    await db
      .insertInto('ml_kill_criteria')
      .values(
        project.killCriteria.map((c, position) => ({
          project_id: project.id,
          id: c.id,
          position,
          description: c.description,
          condition: JSON.stringify(c.condition),
        })),
      )
      .execute();
  }
  for (const c of project.confidence) await insertConfidence(db, project.id, c);
  for (const q of project.quality) await insertQuality(db, project.id, q);
}

export async function insertEntry(db: Db, projectId: string, entry: PhaseEntry): Promise<void> {
  await db
    .insertInto('ml_phase_entries')
    .values({ project_id: projectId, seq: entry.seq, phase: entry.phase, started_at: entry.startedAt, ended_at: entry.endedAt })
    .execute();
}

export async function endEntry(db: Db, projectId: string, seq: number, endedAt: number): Promise<void> {
  await db.updateTable('ml_phase_entries').set({ ended_at: endedAt }).where('project_id', '=', projectId).where('seq', '=', seq).execute();
}

export async function insertGate(db: Db, projectId: string, gate: GateRecord): Promise<void> {
  await db
    .insertInto('ml_gates')
    .values({
      project_id: projectId,
      seq: gate.seq,
      phase: gate.phase,
      decision: gate.decision,
      decided_by: gate.decidedBy,
      decided_at: gate.decidedAt,
      evidence: JSON.stringify(gate.evidence),
      checklist: JSON.stringify(gate.checklist),
      note: gate.note,
      pivot_to: gate.pivotTo,
    })
    .execute();
}

export async function killProject(db: Db, projectId: string, learning: string): Promise<void> {
  await db.updateTable('ml_projects').set({ status: 'killed', learning }).where('id', '=', projectId).execute();
}

export async function insertConfidence(db: Db, projectId: string, entry: ConfidenceEntry): Promise<void> {
  await db
    .insertInto('ml_confidence')
    .values({ project_id: projectId, at: entry.at, value: entry.value, note: entry.note, stated_by: entry.statedBy })
    .onConflict((oc) => oc.columns(['project_id', 'at']).doUpdateSet({ value: entry.value, note: entry.note, stated_by: entry.statedBy }))
    .execute();
}

export async function insertQuality(db: Db, projectId: string, reading: Reading): Promise<void> {
  await db
    .insertInto('ml_quality')
    .values({ project_id: projectId, at: reading.at, value: reading.value })
    .onConflict((oc) => oc.columns(['project_id', 'at']).doUpdateSet({ value: reading.value }))
    .execute();
}

// --- Kill flags ---------------------------------------------------------------------

export async function listKillFlags(db: Db, options: { projectId?: string; open?: boolean } = {}): Promise<KillFlag[]> {
  let query = db.selectFrom('ml_kill_flags').selectAll();
  if (options.projectId !== undefined) query = query.where('project_id', '=', options.projectId);
  if (options.open) query = query.where('resolved_at', 'is', null);
  const rows = await query.orderBy('project_id').orderBy('criterion_id').orderBy('met_at').execute();
  return rows.map((r) => ({
    projectId: r.project_id,
    criterionId: r.criterion_id,
    metAt: r.met_at,
    evidence: r.evidence,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  }));
}

export async function insertKillFlag(db: Db, flag: Omit<KillFlag, 'resolvedAt' | 'resolvedBy'>): Promise<void> {
  await db
    .insertInto('ml_kill_flags')
    .values({ project_id: flag.projectId, criterion_id: flag.criterionId, met_at: flag.metAt, evidence: flag.evidence })
    .execute();
}

/** A gate decision closes every open flag of the project: someone decided with the flag in view. */
export async function resolveKillFlags(db: Db, projectId: string, at: number, by: string): Promise<number> {
  const result = await db
    .updateTable('ml_kill_flags')
    .set({ resolved_at: at, resolved_by: by })
    .where('project_id', '=', projectId)
    .where('resolved_at', 'is', null)
    .where('met_at', '<=', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// --- Experiments --------------------------------------------------------------------

export interface ExperimentFilter {
  team?: string | undefined;
  project?: string | undefined;
  decision?: ExperimentDecision | undefined;
  concluded?: boolean | undefined;
  /** Words that must all appear in the hypothesis, metric, learning or id (case-insensitive). */
  q?: string | undefined;
  /** Decided in [from, to). */
  decidedFrom?: number | undefined;
  decidedTo?: number | undefined;
}

export async function listExperiments(db: Db, filter: ExperimentFilter = {}): Promise<Experiment[]> {
  let query = db.selectFrom('ml_experiments').selectAll();
  if (filter.team !== undefined) query = query.where('team_id', '=', filter.team);
  if (filter.project !== undefined) query = query.where('project_id', '=', filter.project);
  if (filter.decision !== undefined) query = query.where('decision', '=', filter.decision);
  if (filter.concluded === true) query = query.where('decision', 'is not', null);
  if (filter.concluded === false) query = query.where('decision', 'is', null);
  if (filter.decidedFrom !== undefined) query = query.where('decided_at', '>=', filter.decidedFrom);
  if (filter.decidedTo !== undefined) query = query.where('decided_at', '<', filter.decidedTo);
  for (const word of (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or(
        (['id', 'hypothesis', 'metric', 'learning'] as const).map((column) =>
          eb(eb.fn('lower', [eb.ref(column)]), 'like', eb.val(pattern)),
        ),
      ),
    );
  }
  const rows = await query.orderBy('started_at', 'desc').orderBy('id').execute();
  return rows.map(experimentFromRow);
}

export async function experimentExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('ml_experiments').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function loadExperiment(db: Db, id: string): Promise<Experiment> {
  const row = await db.selectFrom('ml_experiments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`Experiment "${id}" does not exist`);
  return experimentFromRow(row);
}

function experimentFromRow(row: MlExperimentRow): Experiment {
  return {
    id: row.id,
    hypothesis: row.hypothesis,
    metric: row.metric,
    direction: row.direction as QualityDirection,
    successThreshold: row.success_threshold,
    killThreshold: row.kill_threshold,
    owner: row.owner,
    teamId: row.team_id,
    projectId: row.project_id,
    keyResult: row.key_result,
    ticketUrl: row.ticket_url,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    result: row.result,
    decision: row.decision as ExperimentDecision | null,
    learning: row.learning,
    decidedAt: row.decided_at,
  };
}

export async function insertExperiments(db: Db, experiments: readonly Experiment[], source: RowSource): Promise<void> {
  for (let i = 0; i < experiments.length; i += 200) {
    await db
      .insertInto('ml_experiments')
      .values(
        experiments.slice(i, i + 200).map((e) => ({
          id: e.id,
          hypothesis: e.hypothesis,
          metric: e.metric,
          direction: e.direction,
          success_threshold: e.successThreshold,
          kill_threshold: e.killThreshold,
          owner: e.owner,
          team_id: e.teamId,
          project_id: e.projectId,
          key_result: e.keyResult,
          ticket_url: e.ticketUrl,
          started_at: e.startedAt,
          ended_at: e.endedAt,
          result: e.result,
          decision: e.decision,
          learning: e.learning,
          decided_at: e.decidedAt,
          source,
        })),
      )
      .execute();
  }
}

export async function concludeExperimentRow(
  db: Db,
  id: string,
  conclusion: { decision: ExperimentDecision; learning: string; result: number | null; at: number },
): Promise<void> {
  await db
    .updateTable('ml_experiments')
    .set({
      decision: conclusion.decision,
      learning: conclusion.learning,
      result: conclusion.result,
      decided_at: conclusion.at,
      ended_at: conclusion.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function removeDemoRows(db: Db): Promise<void> {
  await db.deleteFrom('ml_experiments').where('source', '=', 'demo').execute();
  await db.deleteFrom('ml_projects').where('source', '=', 'demo').execute();
}

// --- Alignment: what serves a key result ----------------------------------------------------------

/** Projects, then experiments, naming any of these key results; each ordered by key result, then id. */
export async function mlWorkServing(db: Db, keyResultIds: readonly string[]): Promise<KeyResultMlWork[]> {
  if (keyResultIds.length === 0) return [];
  const ids = [...keyResultIds];
  const projects = await db
    .selectFrom('ml_projects')
    .select(['id', 'name', 'status', 'key_result'])
    .where('key_result', 'in', ids)
    .orderBy('key_result')
    .orderBy('id')
    .execute();
  const experiments = await db
    .selectFrom('ml_experiments')
    .select(['id', 'hypothesis', 'decision', 'key_result'])
    .where('key_result', 'in', ids)
    .orderBy('key_result')
    .orderBy('id')
    .execute();
  return [
    ...projects.map((p) => ({ keyResultId: p.key_result ?? '', kind: 'project' as const, id: p.id, title: p.name, status: p.status })),
    ...experiments.map((e) => ({
      keyResultId: e.key_result ?? '',
      kind: 'experiment' as const,
      id: e.id,
      title: e.hypothesis,
      status: e.decision ?? 'running',
    })),
  ];
}
