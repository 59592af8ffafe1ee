import Fastify, { type FastifyInstance } from 'fastify';
import type { LogLevel } from '../config/settings.js';
import { UnavailableError, NotFoundError } from '../shared/errors.js';
import type { Store } from '../store/database.js';
import { VERSION } from '../shared/version.js';
import { requireTokens } from './authenticate.js';
import { checkHostHeader, sendSecurityHeaders } from './exposure.js';
import { KeptReads } from './kept-reads.js';
import { instrumentRequests } from './metrics.js';
import { moduleRoutes } from './module-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { problemClientErrorHandler, problemErrorHandler, sendProblem, toProblem } from './problem.js';
import { registerRoutes } from './register-routes.js';
import { QuietReadsLogController } from './request-logging.js';
import { ResponseCache, type ResponseCacheOptions } from './response-cache.js';
import { serveDashboard } from './web-assets.js';
import { workspaceRoutes } from './workspace-routes.js';
import type { WorkspaceInfo } from '../workspace/workspace.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers repeated view reads before Fastify on a listening server (kept-reads.ts). */
    keptReads: KeptReads;
  }
}

export interface AppOptions {
  store: Store;
  /** Whether reads need a token: true when bound beyond loopback. */
  readsNeedToken: boolean;
  bodyLimitBytes: number;
  logLevel: LogLevel;
  /** Where log lines go (tests); standard output by default. */
  logStream?: { write(line: string): void };
  /** Folder of the built dashboard; null serves no dashboard (API-only tests). */
  webRoot: string | null;
  workspace: WorkspaceInfo;
  /** The workspace folder; with `repositoryRoots`, where repository paths written through the API may point (org/repository-path.ts). */
  workspaceDir: string;
  repositoryRoots?: readonly string[];
  /** The address the server is bound to (default 127.0.0.1), for the Host header check. */
  bindHost?: string;
  /** Further host names clients may use (`serve --public-host`). */
  publicHosts?: readonly string[];
  /** How long and how many cached view answers are kept (server/response-cache.ts). */
  responseCache?: ResponseCacheOptions;
}

/** Builds the whole HTTP application without listening, so tests can `inject()` requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Successful reads log at debug: `serve` is quiet by default (see request-logging.ts).
    logController: new QuietReadsLogController(),
    bodyLimit: options.bodyLimitBytes,
    // In-flight requests finish on close; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Node's parser errors (431, malformed request) and the router's (bad URL encoding, 414) as problem+json.
    clientErrorHandler: problemClientErrorHandler,
    frameworkErrors: (error, request, reply) => sendProblem(reply, toProblem(error, request.url)),
  });
  // Only JSON bodies: Fastify would otherwise parse text/plain into a string; now it gets 415.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler(problemErrorHandler);
  const hostAllowed = checkHostHeader(app, { bindHost: options.bindHost ?? '127.0.0.1', publicHosts: options.publicHosts ?? [] });
  sendSecurityHeaders(app);
  const metrics = instrumentRequests(app);
  requireTokens(app, options.store.db, { readsNeedToken: options.readsNeedToken });
  const cache = new ResponseCache(options.store, options.responseCache);
  // Repeated reads of the dashboard's views are answered on the socket, before Fastify, with the same checks (kept-reads.ts).
  // (inject() calls Fastify directly: tests of that path listen on a port.)
  const keptReads = new KeptReads({ cache, hostAllowed, readsNeedToken: options.readsNeedToken, log: app.log, record: metrics.record });
  keptReads.install(app.server);
  app.decorate('keptReads', keptReads);
  app.addHook('preClose', (done) => {
    keptReads.stop();
    done();
  });

  const specs = [
    ...workspaceRoutes(options.workspace),
    ...moduleRoutes(options.store, {
      workspaceDir: options.workspaceDir,
      repositoryRoots: options.repositoryRoots ?? [],
      timeZone: options.workspace.timezone,
    }),
  ];
  registerRoutes(app, specs, cache);
  const openApi = buildOpenApiDocument(specs, { version: VERSION });

  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' } }, async () => {
    try {
      await options.store.ping();
    } catch (error) {
      throw new UnavailableError(`The store does not answer: ${(error as Error).message}`);
    }
    return { status: 'ready', store: options.store.dialect };
  });
  app.get('/metrics', { config: { access: 'read' } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get('/api/openapi.json', { config: { access: 'public' } }, async () => openApi);

  const hasDashboard = options.webRoot !== null && (await serveDashboard(app, options.webRoot));
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/metrics';
    if (hasDashboard && !isApi && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendProblem(reply, toProblem(new NotFoundError(`No route ${request.method} ${request.url.split('?')[0]}`), request.url));
  });
  return app;
}
