import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';

/** A read that succeeded: the dashboard makes dozens a page, none worth a line at `info`. */
export function isQuietRequest(method: string, statusCode: number): boolean {
  return (method === 'GET' || method === 'HEAD') && statusCode < 400;
}

/** Whether this logger writes a line for every request, successful reads included (`--log-level debug` or trace). */
export function logsEveryRequest(log: FastifyBaseLogger): boolean {
  return log.level === 'debug' || log.level === 'trace';
}

/**
 * Fastify's per-request log lines at a level that keeps `sextant serve` quiet
 * by default: the "incoming request" line and a successful read's
 * "request completed" at `debug`; writes, client errors and failures stay at
 * `info` (errors at `error`), so `--log-level debug` shows every request.
 */
export class QuietReadsLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    } else if (isQuietRequest(request.method, reply.statusCode)) {
      reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
    } else {
      reply.log.info({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  }
}
