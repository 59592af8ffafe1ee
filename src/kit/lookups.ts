import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';

type Db = Kysely<Database>;

/**
 * Functions a module offers to modules that may not import it. Imports point
 * one way (delivery and reliability read incidents through incidents'
 * index.ts), so the incidents module cannot import them back to show an
 * incident's deployments or the budget it spent. Instead a module declares
 * what it can answer here (`lookups` in its definition), the surfaces merge
 * every module's into one object and hand it to `routes(store, lookups)`, to
 * commands (`ctx.lookups`) and to demo loaders. Each function is optional: a
 * build without the module that answers it simply leaves it out, and the
 * caller shows nothing for that part. The shapes are plain data so the kit
 * still imports no module.
 */
export interface Lookups {
  /** Delivery: the deployments with these ids (unknown ids are left out). */
  deployments?(db: Db, ids: readonly string[]): Promise<LinkedDeployment[]>;
  /** Reliability: what each span spent of each SLO of its service; an open span (end null) runs to `at`. */
  budgetSpent?(db: Db, spans: readonly ServiceSpan[], at: number): Promise<SpanBudgetSpend[]>;
  /** Debt: the work items whose links name one of these key results (`kr:<id>`), once per key result named. */
  keyResultWorkItems?(db: Db, keyResultIds: readonly string[]): Promise<KeyResultWorkItem[]>;
  /** ML: the projects and experiments that name one of these key results as the one they serve. */
  keyResultMlWork?(db: Db, keyResultIds: readonly string[]): Promise<KeyResultMlWork[]>;
}

/** A work item serving a key result (named by a `kr:<id>` link). */
export interface KeyResultWorkItem {
  keyResultId: string;
  id: string;
  team: string;
  title: string;
  type: string;
  state: 'todo' | 'in-progress' | 'done' | 'cancelled';
  /** Epoch ms; null until done. */
  completed: number | null;
}

/** An ML project or experiment serving a key result. */
export interface KeyResultMlWork {
  keyResultId: string;
  kind: 'project' | 'experiment';
  id: string;
  /** A project's name, an experiment's hypothesis. */
  title: string;
  /** A project's status (`active`, `killed`); an experiment's decision, or `running` until it has one. */
  status: string;
}

export interface LinkedDeployment {
  id: string;
  serviceId: string;
  environment: string;
  commitSha: string | null;
  version: string | null;
  finishedAt: number;
}

export interface ServiceSpan {
  id: string;
  serviceId: string;
  start: number;
  end: number | null;
}

export interface SpanBudgetSpend {
  /** The span's id. */
  id: string;
  slo: string;
  /** Bad events (or bad slices) inside the span. */
  spent: number;
  /** The allowance of the SLO window ending where the span ends. */
  allowed: number;
  /** spent / allowed. */
  share: number;
  /** The SLO's window, e.g. `30d`. */
  window: string;
}

/** Merges modules' lookups; a function declared by two modules is a programming error. */
export function mergeLookups(parts: ReadonlyArray<Lookups | undefined>): Lookups {
  const merged: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, fn] of Object.entries(part ?? {})) {
      if (name in merged) throw new Error(`Lookup "${name}" is declared by two modules`);
      merged[name] = fn;
    }
  }
  return merged as Lookups;
}
