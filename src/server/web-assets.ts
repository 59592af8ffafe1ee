import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { installRoot } from '../config/install.js';

/** `dist/web`, found from this file whether it runs from `src/` (tsx) or `dist/` (built). */
export function defaultWebRoot(): string {
  return path.join(installRoot(), 'dist', 'web');
}

/**
 * Serves the built dashboard. Client-side routes (/org, /delivery, ...) get
 * index.html; unknown /api paths are left to the API's 404. The dashboard's
 * assets are all local: no CDN, no web fonts.
 */
export async function serveDashboard(app: FastifyInstance, webRoot: string): Promise<boolean> {
  const indexFile = path.join(webRoot, 'index.html');
  if (!fs.existsSync(indexFile)) {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'Sextant is running, but the dashboard is not built. Run `npm run build` (or `npm start`) and restart.\nThe API is at /api/v1 and its description at /api/openapi.json.\n',
        ),
    );
    return false;
  }
  await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: 'index.html' });
  // Hashed asset files never change; index.html must always be revalidated.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
  });
  return true;
}
