import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLSchema, introspectionFromSchema } from 'graphql';
import { GRAPHQL_PATH } from '../graphql/graphql-options';
import { translator } from './i18n';
import { EXAMPLE_TABS } from './graphiql-examples';
import { htmlDocument } from './page';
import { GraphiqlPage } from './views/graphiql';

/** Where GraphiQL's files are served from. */
export const GRAPHIQL_PREFIX = '/graphiql/';

/** A file of an installed package, read on first use (about 4 MB in all, so not at start). */
function packageFile(pkg: string, file: string): () => Buffer {
  let body: Buffer | undefined;
  return () => (body ??= readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file)));
}

function packageVersion(pkg: string): string {
  return (
    JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }
  ).version;
}

const contentVersion = (content: string) =>
  createHash('sha256').update(content).digest('base64url').slice(0, 12);

/** The schema as an introspection result, for GraphiQL (see {@link sendGraphiqlSchema}). */
export const GRAPHIQL_SCHEMA_PATH = '/graphiql/schema.json';

/**
 * Starts GraphiQL: a fetcher that POSTs JSON to /graphql, a tab per kind of user, and the
 * schema from {@link GRAPHIQL_SCHEMA_PATH} (without it, GraphiQL would introspect itself). A
 * file of its own, because the Content-Security-Policy allows no inline script.
 */
const INIT_SCRIPT = `(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: location.origin + ${JSON.stringify(GRAPHQL_PATH)} });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  function render(schema) {
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      schema: schema,
      defaultTabs: ${JSON.stringify(EXAMPLE_TABS)},
      defaultEditorToolsVisibility: true
    }));
  }
  fetch(${JSON.stringify(GRAPHIQL_SCHEMA_PATH)})
    .then(function (response) {
      if (!response.ok) throw new Error("schema: " + response.status);
      return response.json();
    })
    .then(render, function () { render(undefined); });
})();
`;

/** GraphiQL takes the whole window. */
const PAGE_CSS = 'html,body{height:100%;margin:0}#graphiql{height:100vh}';

interface Asset {
  type: string;
  body: () => Buffer;
}

const textAsset = (type: string, text: string): Asset => {
  const body = Buffer.from(text, 'utf8');
  return { type, body: () => body };
};

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * Every file the explorer loads, under a path that changes with the package version or the
 * content, so browsers keep them for a year. React's UMD builds come first: GraphiQL's UMD
 * build expects window.React and window.ReactDOM.
 */
const FILES: [string, Asset][] = [
  [
    `graphiql@${packageVersion('graphiql')}/graphiql.min.css`,
    { type: CSS, body: packageFile('graphiql', 'graphiql.min.css') },
  ],
  [`page-${contentVersion(PAGE_CSS)}.css`, textAsset(CSS, PAGE_CSS)],
  [
    `react@${packageVersion('react')}/react.production.min.js`,
    { type: JS, body: packageFile('react', 'umd/react.production.min.js') },
  ],
  [
    `react-dom@${packageVersion('react-dom')}/react-dom.production.min.js`,
    { type: JS, body: packageFile('react-dom', 'umd/react-dom.production.min.js') },
  ],
  [
    `graphiql@${packageVersion('graphiql')}/graphiql.min.js`,
    { type: JS, body: packageFile('graphiql', 'graphiql.min.js') },
  ],
  [`init-${contentVersion(INIT_SCRIPT)}.js`, textAsset(JS, INIT_SCRIPT)],
];

const ASSETS = new Map(FILES.map(([name, asset]) => [GRAPHIQL_PREFIX + name, asset]));
const urlsOf = (type: string) =>
  FILES.filter(([, a]) => a.type === type).map(([name]) => GRAPHIQL_PREFIX + name);

/** Compressed once, on first request: graphiql.min.js is 3.5 MB as installed, far less gzipped. */
const gzipped = new Map<string, Buffer>();

/** Sends one of the explorer's files (404 for any other name), gzipped when the client takes it. */
export async function sendGraphiqlAsset(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const path = req.url.split('?')[0];
  const asset = ASSETS.get(path);
  if (!asset) {
    await reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return;
  }
  void reply.header('cache-control', 'public, max-age=31536000, immutable');
  await sendMaybeGzipped(req, reply, path, asset.type, asset.body);
}

let introspection: Buffer | undefined;

/**
 * The schema as GraphiQL would introspect it, computed once. GraphiQL's own introspection
 * query costs more than GRAPHQL_MAX_COST allows (every type's fields, arguments and input
 * fields are lists), and raising the limit or exempting introspection would change the API
 * for every client; the schema only changes with a deployment, so it is served as a file.
 */
export async function sendGraphiqlSchema(
  req: FastifyRequest,
  reply: FastifyReply,
  schema: () => GraphQLSchema,
): Promise<void> {
  introspection ??= Buffer.from(
    JSON.stringify(
      introspectionFromSchema(schema(), {
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    ),
  );
  const body = introspection;
  void reply.header('cache-control', 'public, max-age=300');
  await sendMaybeGzipped(
    req,
    reply,
    GRAPHIQL_SCHEMA_PATH,
    'application/json; charset=utf-8',
    () => body,
  );
}

async function sendMaybeGzipped(
  req: FastifyRequest,
  reply: FastifyReply,
  key: string,
  type: string,
  body: () => Buffer,
): Promise<void> {
  void reply.header('vary', 'accept-encoding').type(type);
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    let zipped = gzipped.get(key);
    if (!zipped) gzipped.set(key, (zipped = gzipSync(body())));
    await reply.header('content-encoding', 'gzip').send(zipped);
    return;
  }
  await reply.send(body());
}

/**
 * GraphiQL needs inline styles (its editors position themselves with style attributes) and
 * loads its fonts and icons as data: URLs; nothing else is loosened, and still nothing may
 * come from another origin.
 */
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
].join(';');

/** A browser opening /graphql: GET, asking for HTML, and no `query` to run. */
export function wantsGraphiql(req: FastifyRequest): boolean {
  if (req.method !== 'GET') return false;
  const url = new URL(req.url, 'http://registry.invalid');
  return (
    url.pathname === GRAPHQL_PATH &&
    !url.searchParams.has('query') &&
    /\btext\/html\b/.test(String(req.headers.accept ?? ''))
  );
}

const page = htmlDocument(
  <GraphiqlPage t={translator('en')} styles={urlsOf(CSS)} scripts={urlsOf(JS)} />,
);

/**
 * Serves GraphiQL at GET /graphql to browsers, ahead of Apollo (which owns the route, so a
 * Nest route cannot share it): an `onRequest` hook that answers only {@link wantsGraphiql}
 * requests and lets everything else (POST, GET with `?query=`, API clients) through
 * untouched. Registered after helmet, whose header it replaces for this page only.
 */
export function registerGraphiql(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (req, reply) => {
    if (!wantsGraphiql(req)) return;
    await reply
      .header('content-security-policy', GRAPHIQL_CSP)
      // The same URL answers JSON to API clients: caches must keep the two apart.
      .header('vary', 'accept')
      .header('cache-control', 'public, max-age=300')
      .type('text/html; charset=utf-8')
      .send(page);
    return reply;
  });
}
