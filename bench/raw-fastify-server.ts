import Fastify from 'fastify';

// The comparison for bench/server-reads.bench.ts: Fastify with its defaults and
// no plugins, answering a small JSON body. Prints the port it listens on.
const app = Fastify({ logger: false });
app.get('/', async () => ({ status: 'ok', service: 'raw-fastify' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${new URL(address).port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
