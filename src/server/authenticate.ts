import type { FastifyInstance } from 'fastify';
import type { Access } from '../kit/routes.js';
import type { Store } from '../store/database.js';
import { verifyToken } from '../modules.js';
import { UnauthorizedError } from '../shared/errors.js';

/** Whether a request to a route of this access level must carry a token: writes always, reads beyond loopback. */
export function needsToken(access: Access, readsNeedToken: boolean): boolean {
  return access === 'write' || (access === 'read' && readsNeedToken);
}

/**
 * Bearer-token check. Writes always need a token; reads need one when the
 * server listens beyond loopback (anyone on the network could otherwise read).
 * Routes without an access level (static dashboard files) are public.
 */
export function requireTokens(app: FastifyInstance, db: Store['db'], options: { readsNeedToken: boolean }): void {
  // A callback hook, not an async one: reads that need no token cost no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const access = request.routeOptions.config?.access ?? 'public';
    if (!needsToken(access, options.readsNeedToken)) return done();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      return done(
        new UnauthorizedError(
          access === 'write'
            ? 'Writes need an API token: create one with `sextant token create NAME` and send it as `Authorization: Bearer <token>`'
            : 'This server is reachable from the network, so reads need an API token too (`Authorization: Bearer <token>`)',
        ),
      );
    }
    verifyToken(db, match[1]).then(
      (token) => done(token ? undefined : new UnauthorizedError('The API token is unknown or has been revoked')),
      (error: Error) => done(error),
    );
  });
}
