import type { GraphCommit } from '../delivery/commit-graph.js';
import type { Deployment, Incident } from '../delivery/model.js';

/** Small builders for hand-worked cases: only what a test states differs from these defaults. */
export function buildDeployment(overrides: Partial<Deployment> & { id: string; finishedAt: number }): Deployment {
  return {
    serviceId: 'payments',
    environment: 'production',
    commitSha: null,
    startedAt: null,
    status: 'success',
    rollbackOf: null,
    fixes: [],
    unplanned: false,
    version: null,
    ...overrides,
  };
}

export function buildIncident(overrides: Partial<Incident> & { id: string; startedAt: number }): Incident {
  return {
    serviceId: 'payments',
    severity: 'sev2',
    detectedAt: null,
    resolvedAt: null,
    causedByDeployment: null,
    causedBySha: null,
    ...overrides,
  };
}

export function buildCommit(overrides: Partial<GraphCommit> & { sha: string; authorTime: number }): GraphCommit {
  return {
    parents: [],
    committerTime: overrides.authorTime,
    subject: overrides.sha,
    revertsSha: null,
    revertedSubject: null,
    fixesSha: null,
    paths: null,
    ...overrides,
  };
}
