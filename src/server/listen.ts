import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/database.js';

/**
 * Listens, and on SIGTERM or SIGINT shuts down in order: stop accepting
 * connections, let in-flight requests finish, then close the store (SQLite
 * checkpoints its WAL; PostgreSQL connections end cleanly).
 */
export async function listenUntilSignalled(app: FastifyInstance, store: Store, bind: { host: string; port: number }): Promise<string> {
  const address = await app.listen({ host: bind.host, port: bind.port });
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app.close();
      await store.close();
      app.log.info('store closed; bye');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
  return address;
}
