import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The GraphQL IDE at /graphiql, served from installed packages (graphiql 3, React 18: their browser builds
 * need no bundler) so that it works on a machine without internet: a co-op's office server, an air-gapped
 * install. Mercurius's own IDE loads its scripts from a public CDN, so it stays off.
 */
export const GRAPHIQL_PATH = '/graphiql';
const ASSETS = `${GRAPHIQL_PATH}/assets`;

interface Asset {
  readonly name: string;
  readonly type: string;
  readonly body: Buffer;
}

const require = createRequire(import.meta.url);

/** A file of an installed package; react and react-dom hide their browser builds from `exports`. */
function packageFile(packageName: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}

const START_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultHeaders: JSON.stringify({ authorization: 'Bearer <accessToken from login>' }, null, 2),
  }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Commonwealth Ledger · GraphiQL</title>
    <link rel="stylesheet" href="${ASSETS}/graphiql.min.css" />
  </head>
  <body style="margin: 0">
    <div id="graphiql" style="height: 100vh"></div>
    <script src="${ASSETS}/react.production.min.js"></script>
    <script src="${ASSETS}/react-dom.production.min.js"></script>
    <script src="${ASSETS}/graphiql.min.js"></script>
    <script src="${ASSETS}/start.js"></script>
  </body>
</html>
`;

function loadAssets(): Asset[] {
  const javascript = 'text/javascript; charset=utf-8';
  const file = (name: string, type: string, location: string): Asset => ({ name, type, body: readFileSync(location) });
  return [
    file('react.production.min.js', javascript, packageFile('react', 'umd/react.production.min.js')),
    file('react-dom.production.min.js', javascript, packageFile('react-dom', 'umd/react-dom.production.min.js')),
    file('graphiql.min.js', javascript, packageFile('graphiql', 'graphiql.min.js')),
    file('graphiql.min.js.map', 'application/json', packageFile('graphiql', 'graphiql.min.js.map')),
    file('graphiql.min.css', 'text/css; charset=utf-8', packageFile('graphiql', 'graphiql.min.css')),
    file('graphiql.min.css.map', 'application/json', packageFile('graphiql', 'graphiql.min.css.map')),
    { name: 'start.js', type: javascript, body: Buffer.from(START_SCRIPT) },
  ];
}

/** Registers the IDE's page and assets (read once, at start-up). */
export function serveGraphiql(fastify: FastifyInstance): void {
  fastify.get(GRAPHIQL_PATH, async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  for (const asset of loadAssets()) {
    fastify.get(`${ASSETS}/${asset.name}`, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(asset.body),
    );
  }
}
