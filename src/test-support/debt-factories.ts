import type { WorkItem } from '../debt/model.js';

const DAY_MS = 86_400_000;

/** A done task of team `core`, created and started at `at` and completed 3 days later; `fields` override. */
export function workItem(id: string, at: number, fields: Partial<WorkItem> = {}): WorkItem {
  return {
    id,
    team: 'core',
    title: id,
    type: 'task',
    labels: [],
    state: 'done',
    created: at,
    started: at,
    completed: at + 3 * DAY_MS,
    points: null,
    parent: null,
    sprint: null,
    links: [],
    source: 'api',
    ...fields,
  };
}
