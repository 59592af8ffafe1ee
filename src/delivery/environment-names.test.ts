import { describe, expect, it } from 'vitest';
import { serviceInput } from '../org/model.js';
import { deploymentInput } from './model.js';
import { scopeQuery } from './report-schemas.js';

/** `Production` and `production` are one environment, whichever door it came through (issue 15, item 15). */
describe('environment names', () => {
  it('are stored in lower case from deployments, services and filters alike', () => {
    const deployment = deploymentInput.parse({
      id: 'd1',
      service: 'cart',
      environment: ' Production ',
      finishedAt: '2026-01-01T00:00:00Z',
    });
    expect(deployment.environment).toBe('production');
    const service = serviceInput.parse({ name: 'Cart', team: 'shop', environments: ['Production', { name: 'Staging' }] });
    expect(service.environments).toEqual([
      { name: 'production', production: true },
      { name: 'staging', production: false },
    ]);
    expect(scopeQuery.parse({ environment: 'PRODUCTION' }).environment).toBe('production');
  });
});
