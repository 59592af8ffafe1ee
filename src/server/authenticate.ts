import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/database.js';
import { verifyToken } from '../modules.js';
import { UnauthorizedError } from '../shared/errors.js';

/**
 * Bearer-token check. Writes always need a token; reads need one when the
 * server listens beyond loopback (anyone on the network could otherwise read).
 * Routes without an access level (static dashboard files) are public.
 */
export function requireTokens(app: FastifyInstance, db: Store['db'], options: { readsNeedToken: boolean }): void {
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access ?? 'public';
    if (access === 'public' || (access === 'read' && !options.readsNeedToken)) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new UnauthorizedError(
        access === 'write'
          ? 'Writes need an API token: create one with `sextant token create NAME` and send it as `Authorization: Bearer <token>`'
          : 'This server is reachable from the network, so reads need an API token too (`Authorization: Bearer <token>`)',
      );
    }
    const token = await verifyToken(db, match[1]);
    if (!token) throw new UnauthorizedError('The API token is unknown or has been revoked');
  });
}
