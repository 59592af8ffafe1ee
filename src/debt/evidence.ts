import type { Kysely } from 'kysely';
import {
  analyseCachedHistory,
  analysisOptionsSchema,
  type HotspotRow,
  type KnowledgeRiskReport,
  type TruckFactorReport,
} from '../codebase/index.js';
import { deliveryEvidence, loadDeliveryFacts, summariseDelivery, type Assessment } from '../delivery/index.js';
import { loadOrg, type Org } from '../org/index.js';
import { storedStatuses, type SloStatus } from '../reliability/index.js';
import { NotFoundError } from '../shared/errors.js';
import type { Database } from '../store/database.js';
import { median, type RepositoryEvidence, type ServiceEvidence, type SloEvidence } from './candidates.js';
import { DAY_MS, type DebtItem, type DebtLocation } from './model.js';
import { EMPTY_EVIDENCE, type DebtEvidence } from './scorecard.js';

type Db = Kysely<Database>;

export const EVIDENCE_DAYS = 90;
const HOUR_MS = 3_600_000;

/**
 * Incidents of a service that started in [from, to). Read through the delivery
 * module today; when the incidents module lands, this one function switches.
 */
export async function incidentsOfService(db: Db, serviceId: string, from: number, to: number): Promise<number> {
  const evidence = await deliveryEvidence(db, serviceId, to);
  return evidence.incidents.filter((i) => i.start >= from && i.start < to).length;
}

interface RepoFacts {
  hotspots: HotspotRow[];
  recent: Map<string, number>;
  knowledge: KnowledgeRiskReport;
  authorsByFile: Map<string, readonly string[]>;
}

interface ServiceFacts {
  leadTimeP50Hours: number | null;
  changeFailureRate: number | null;
  deployments: number;
  incidents90: number;
  budgetConsumed: number | null;
}

/**
 * Reads every module's evidence once per repository and service and answers
 * per item (docs/metrics/debt.md, "Interest evidence"). All windows are the 90
 * days before `now`.
 */
export class EvidenceReader {
  private org: Org | null = null;
  private readonly repos = new Map<string, Promise<RepoFacts | null>>();
  private readonly services = new Map<string, Promise<ServiceFacts>>();
  private medians: Promise<{ lead: number | null; cfr: number | null }> | null = null;
  private all: Promise<{ assessment: Assessment; statuses: SloStatus[] }> | null = null;

  constructor(
    private readonly db: Db,
    readonly now: number,
  ) {}

  private async loadOrg(): Promise<Org> {
    return (this.org ??= await loadOrg(this.db));
  }

  repository(id: string): Promise<RepoFacts | null> {
    let facts = this.repos.get(id);
    if (!facts) this.repos.set(id, (facts = this.readRepository(id)));
    return facts;
  }

  private async readRepository(id: string): Promise<RepoFacts | null> {
    const { people } = await this.loadOrg();
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const base = analysisOptionsSchema.parse({ ageTimeNow: day(this.now) });
    try {
      const whole = await analyseCachedHistory(this.db, id, ['hotspots', 'truck-factor'], base, people, this.now);
      const recent = await analyseCachedHistory(
        this.db,
        id,
        ['revisions'],
        { ...base, since: day(this.now - EVIDENCE_DAYS * DAY_MS) },
        people,
        this.now,
      );
      const knowledge = await analyseCachedHistory(
        this.db,
        id,
        ['knowledge-risk'],
        { ...base, inactiveDays: EVIDENCE_DAYS, depth: 2 },
        people,
        this.now,
      );
      const revisions = (recent.get('revisions')?.result ?? []) as Array<{ entity: string; nRevs: number }>;
      const truck = whole.get('truck-factor')?.result as TruckFactorReport | undefined;
      return {
        hotspots: (whole.get('hotspots')?.result ?? []) as HotspotRow[],
        recent: new Map(revisions.map((r) => [r.entity, r.nRevs])),
        knowledge: knowledge.get('knowledge-risk')?.result as KnowledgeRiskReport,
        authorsByFile: new Map((truck?.files ?? []).map((f) => [f.path, f.authors])),
      };
    } catch (error) {
      // A repository the codebase module has not analysed yet has no evidence (yet).
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  service(id: string): Promise<ServiceFacts> {
    let facts = this.services.get(id);
    if (!facts) this.services.set(id, (facts = this.readService(id)));
    return facts;
  }

  /**
   * Delivery facts and SLO statuses of every service, read once: reading them
   * service by service loaded the org, the deployments and the SLO definitions
   * once per service (51.9 s for 500 register items over 80 services in
   * bench/debt.bench.ts). A series is assessed on its own service's
   * deployments and incidents either way, so the figures are the same.
   */
  private everyService(): Promise<{ assessment: Assessment; statuses: SloStatus[] }> {
    return (this.all ??= (async () => {
      const facts = await loadDeliveryFacts(
        this.db,
        {},
        { leadTimeStart: 'author', assess: { incidentWindowMs: 7 * DAY_MS, revertWindowMs: 7 * DAY_MS } },
      );
      return { assessment: facts.assessment, statuses: await storedStatuses(this.db, this.now) };
    })());
  }

  private async readService(id: string): Promise<ServiceFacts> {
    const from = this.now - EVIDENCE_DAYS * DAY_MS;
    const all = await this.everyService();
    const own: Assessment = {
      deployments: all.assessment.deployments.filter((d) => d.deployment.serviceId === id),
      unlinkedIncidents: [],
    };
    const summary = summariseDelivery(own, { from, to: this.now });
    const statuses = all.statuses.filter((status) => status.service === id);
    return {
      leadTimeP50Hours: summary.leadTime.p50Seconds === null ? null : (summary.leadTime.p50Seconds * 1000) / HOUR_MS,
      changeFailureRate: summary.changeFailureRate.rate,
      deployments: summary.deployments.count,
      incidents90: await incidentsOfService(this.db, id, from, this.now),
      budgetConsumed: statuses.length === 0 ? null : statuses.reduce((sum, s) => sum + s.budgetConsumed, 0),
    };
  }

  /** Medians over every service with data: what "worse than the workspace" is measured against. */
  serviceMedians(): Promise<{ lead: number | null; cfr: number | null }> {
    return (this.medians ??= (async () => {
      const org = await this.loadOrg();
      const all = await Promise.all(org.services.map((s) => this.service(s.id)));
      const values = (pick: (f: ServiceFacts) => number | null) => all.map(pick).filter((v): v is number => v !== null);
      return { lead: median(values((f) => f.leadTimeP50Hours)), cfr: median(values((f) => f.changeFailureRate)) };
    })());
  }

  /** The service an item's location belongs to: its own, else the one service built from its repository. */
  async serviceOf(location: DebtLocation): Promise<string | null> {
    if (location.service !== null) return location.service;
    if (location.repository === null) return null;
    const owners = (await this.loadOrg()).services.filter((s) => s.repositories.some((r) => r.repositoryId === location.repository));
    return owners.length === 1 ? (owners[0]?.id ?? null) : null;
  }

  /** Paths of a location that the repository's current tree does not have (warnings, not errors). */
  async pathWarnings(location: DebtLocation): Promise<string[]> {
    if (location.repository === null || location.paths.length === 0) return [];
    const facts = await this.repository(location.repository);
    const warnings: string[] = [];
    if (facts) codeEvidence(facts, location.paths, warnings);
    return warnings;
  }

  async evidenceFor(item: DebtItem): Promise<DebtEvidence> {
    const evidence: DebtEvidence = { ...EMPTY_EVIDENCE, warnings: [] };
    const { repository, paths } = item.location;
    if (repository !== null) {
      const facts = await this.repository(repository);
      if (facts) Object.assign(evidence, codeEvidence(facts, paths, evidence.warnings));
    }
    const service = await this.serviceOf(item.location);
    if (service !== null && (await this.loadOrg()).services.some((s) => s.id === service)) {
      const facts = await this.service(service);
      const medians = await this.serviceMedians();
      evidence.leadTimeP50Hours = facts.leadTimeP50Hours;
      evidence.leadTimeMedianHours = medians.lead;
      evidence.changeFailureRate = facts.changeFailureRate;
      evidence.changeFailureRateMedian = medians.cfr;
      evidence.incidents90 = facts.incidents90;
      evidence.budgetConsumed = facts.budgetConsumed;
    }
    return evidence;
  }

  /** Everything `proposeCandidates` reads. */
  async candidateInput(): Promise<{ repositories: RepositoryEvidence[]; services: ServiceEvidence[]; slos: SloEvidence[] }> {
    const org = await this.loadOrg();
    const teamOfRepo = (id: string) => org.services.find((s) => s.repositories.some((r) => r.repositoryId === id))?.ownerTeamId ?? null;
    const repositories: RepositoryEvidence[] = [];
    for (const repo of org.repositories) {
      const facts = await this.repository(repo.id);
      if (!facts) continue;
      repositories.push({
        repository: repo.id,
        team: teamOfRepo(repo.id),
        hotspots: facts.hotspots,
        recentRevisions: facts.recent,
        knowledge: facts.knowledge,
      });
    }
    const services: ServiceEvidence[] = [];
    for (const service of org.services) {
      const facts = await this.service(service.id);
      services.push({
        service: service.id,
        team: service.ownerTeamId,
        leadTimeP50Hours: facts.leadTimeP50Hours,
        changeFailureRate: facts.changeFailureRate,
        deployments: facts.deployments,
      });
    }
    const slos: SloEvidence[] = [];
    const teamOfService = new Map(org.services.map((s) => [s.id, s.ownerTeamId]));
    for (const status of await storedStatuses(this.db, this.now)) {
      const remaining = [status.budgetRemaining];
      let previous = status;
      for (let k = 0; k < 2; k++) {
        // The period before: ends where this one starts (calendar windows: the instant before it).
        const at = previous.windowKind === 'calendar' ? previous.windowStart - 1 : previous.windowStart;
        const earlier = (await storedStatuses(this.db, at, { service: status.service })).find((s) => s.name === status.name);
        if (!earlier || earlier.total === 0) break;
        remaining.push(earlier.budgetRemaining);
        previous = earlier;
      }
      slos.push({ slo: status.name, service: status.service, team: teamOfService.get(status.service) ?? null, remaining });
    }
    return { repositories, services, slos };
  }
}

/** A path covers itself and, as a folder, everything under it; "" or "." covers the repository. */
export function covers(path: string, file: string): boolean {
  const p = path.replace(/\/+$/, '');
  return p === '' || p === '.' || file === p || file.startsWith(`${p}/`);
}

function codeEvidence(facts: RepoFacts, paths: readonly string[], warnings: string[]): Partial<DebtEvidence> {
  const scope = paths.length === 0 ? [''] : paths;
  const inScope = (file: string) => scope.some((p) => covers(p, file));
  const known = new Set(facts.hotspots.map((h) => h.entity));
  for (const p of paths) {
    if (![...known].some((file) => covers(p, file)) && ![...facts.authorsByFile.keys()].some((file) => covers(p, file))) {
      warnings.push(`path "${p}" does not exist in the repository's current tree`);
    }
  }
  let revisions = 0;
  for (const [file, n] of facts.recent) if (inScope(file)) revisions += n;
  const rankIndex = facts.hotspots.findIndex((h) => inScope(h.entity));
  let authored = 0;
  let sole = 0;
  for (const [file, authors] of facts.authorsByFile) {
    if (!inScope(file) || authors.length === 0) continue;
    authored++;
    if (authors.length === 1) sole++;
  }
  const files = facts.hotspots.filter((h) => inScope(h.entity)).length;
  const orphaned = facts.knowledge.files.filter((f) => f.cause === 'inactive' && inScope(f.entity)).length;
  return {
    revisions90: revisions,
    hotspotRank: rankIndex < 0 ? null : rankIndex + 1,
    hotspotCount: facts.hotspots.length,
    hotspotFile: rankIndex < 0 ? null : (facts.hotspots[rankIndex]?.entity ?? null),
    knowledgeRisk: files === 0 ? null : orphaned / files,
    soleAuthorShare: authored === 0 ? null : sole / authored,
  };
}
