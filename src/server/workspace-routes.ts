import { z } from 'zod';
import { VERSION } from '../shared/version.js';
import type { WorkspaceInfo } from '../workspace/workspace.js';
import { defineRoute, type RouteSpec } from '../kit/routes.js';

const workspaceSchema = z
  .object({
    name: z.string(),
    timezone: z.string().describe('IANA zone used for calendar weeks and months'),
    mode: z.enum(['configured', 'demo', 'empty']).describe('configured: from sextant.yaml; demo: generated; empty: no configuration yet'),
    store: z.string().describe('Where the data lives: SQLite file or PostgreSQL URL (password hidden)'),
    version: z.string(),
  })
  .meta({ id: 'Workspace' });

export function workspaceRoutes(info: WorkspaceInfo): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/workspace',
      operationId: 'getWorkspace',
      summary: 'The workspace this server shows, and where its data lives',
      tag: 'workspace',
      access: 'read',
      response: workspaceSchema,
      handler: async () => ({ ...info, version: VERSION }),
    }),
  ];
}
