import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** `dist/web`, found from this file whether it runs from `src/` (tsx) or `dist/` (built). */
export function defaultWebRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return path.join(dir, 'dist', 'web');
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
