import Fastify from 'fastify';

// The comparison for bench/server-reads.bench.ts: Fastify with its defaults and
// no plugins. `/` answers a small JSON body; `/sized?bytes=N` an object that
// serialises to about N bytes (serialised on every request, as a plain handler
// returning an object is), to separate the cost of the payload from Sextant's
// own per-request work. Prints the port it listens on.
const app = Fastify({ logger: false });
app.get('/', async () => ({ status: 'ok', service: 'raw-fastify' }));
const sized = new Map<number, unknown>();
app.get<{ Querystring: { bytes?: string } }>('/sized', async (request) => {
  const bytes = Math.min(1_000_000, Number(request.query.bytes ?? 1000));
  let body = sized.get(bytes);
  if (!body) {
    const items: Array<{ id: string; value: number; ok: boolean }> = [];
    for (let length = '{"items":[]}'.length; length < bytes;) {
      const item = { id: `item-${items.length}`, value: items.length * 1.5, ok: items.length % 2 === 0 };
      items.push(item);
      length += JSON.stringify(item).length + 1;
    }
    sized.set(bytes, (body = { items }));
  }
  return body;
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${new URL(address).port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
