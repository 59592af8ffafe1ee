import os from 'node:os';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problemTypeUri } from './problem.js';

/**
 * What a browser may do with Sextant's responses.
 *
 * Host check (DNS rebinding): on a loopback bind reads need no token, so a web
 * page whose name an attacker re-points at 127.0.0.1 could read the API through
 * the visitor's browser. Its requests carry the attacker's name in `Host`, so a
 * request is answered only when `Host` names this server: an IP literal (an
 * attacker cannot rebind a literal), `localhost`, the bound host name, this
 * machine's name when bound to every interface, or a configured public name
 * (`serve --public-host`, `SEXTANT_PUBLIC_HOSTS`). Anything else gets 421.
 *
 * No CORS headers are ever sent, so other origins cannot read responses.
 * Returns the check, for answers written before Fastify's hooks run.
 */
export function checkHostHeader(
  app: FastifyInstance,
  options: { bindHost: string; publicHosts: readonly string[] },
): (header: string | undefined) => boolean {
  const hostAllowed = hostCheck(options);
  // A callback hook, not an async one: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    const header = request.headers.host;
    if (hostAllowed(header)) return done();
    const name = hostName(header ?? '');
    // Answered here, and done() is not called: no further hook nor the handler runs.
    reply
      .status(421)
      .type(PROBLEM_CONTENT_TYPE)
      .send({
        type: problemTypeUri('bad-request'),
        title: 'Misdirected request',
        status: 421,
        detail: `This server does not answer to the host name "${name}"; add it with \`serve --public-host ${name}\` if clients use it`,
        instance: request.url,
        errors: [{ field: 'headers.host', message: `"${name}" is not a name of this server` }],
      });
  });
  return hostAllowed;
}

/** Whether a `Host` header names this server (see checkHostHeader); used before Fastify too (kept-reads.ts). */
function hostCheck(options: { bindHost: string; publicHosts: readonly string[] }): (header: string | undefined) => boolean {
  const allowed = new Set(['localhost', ...options.publicHosts.map((name) => name.toLowerCase())]);
  const bind = options.bindHost.toLowerCase();
  if (isIP(bind) === 0) allowed.add(bind);
  if (bind === '0.0.0.0' || bind === '::' || bind === '[::]') allowed.add(os.hostname().toLowerCase());
  return (header) => {
    if (header === undefined) return true; // HTTP/1.0 without Host: no browser sends that
    const name = hostName(header);
    return isIP(name) !== 0 || allowed.has(name) || name.endsWith('.localhost');
  };
}

/** `Host` without its port and brackets, lower-cased: `[::1]:4680` -> `::1`. */
function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * The dashboard's Content-Security-Policy: scripts and styles only from this
 * server's own files (the Vite build emits no inline script; checked by a
 * test), no framing by any page, no plugins, nothing sent off the machine.
 * ECharts and React set styles through the CSSOM, which `style-src` does not
 * restrict, so no `'unsafe-inline'` is needed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy of every response that is not a page or a script of the
 * dashboard (API JSON, problem+json, metrics): such a response is never a
 * document that loads anything, so it may load nothing and be framed by no
 * one, as OWASP's REST security guidance and public APIs (GitHub's) send. It
 * is also 200 bytes shorter than the dashboard's, on every API answer.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Security headers of every API response (cache hits write them from here too,
 * kept-reads.ts): what OWASP's REST guidance asks of an API. Headers that
 * only act on a document (Referrer-Policy, Cross-Origin-Opener-Policy) are
 * left to the dashboard's pages: on JSON they would be bytes a client reads
 * and Node validates on every answer, and do nothing.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': API_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

/** The dashboard's pages, scripts and other files: its own policy, and the headers that act on documents. */
const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Whether a request is for the API (or the probes and metrics) rather than
 * the dashboard. Decided by the path, not by the response's content type: a
 * 304 for a page has no content type, and a browser stores the headers of a
 * 304 over those of the page it holds, so the API's policy on it would stop
 * the page's scripts the next time it is shown.
 */
function isApiPath(url: string): boolean {
  return /^\/(api\/|(metrics|healthz|readyz)(\?|$))/.test(url);
}

export function sendSecurityHeaders(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise per response.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(isApiPath(request.url) ? SECURITY_HEADERS : DASHBOARD_SECURITY_HEADERS);
    done(null, payload);
  });
}
