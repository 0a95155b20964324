/* eslint-disable no-console -- a benchmark tool reports to its terminal */
/**
 * Where a V8 CPU profile's time goes, by layer of the service: Fastify, Nest, Apollo,
 * graphql-js, validation, TypeORM, pg, our own code by folder, Node itself. Self time (the
 * samples in a function's own code) is summed per layer, so the layers add up to the whole;
 * time in Node's own code (sockets, streams, events, JSON) counts for the layer that called
 * it (pg's socket writes for pg, a response's for Fastify), and only what nothing of ours or
 * of a package called (the event loop, microtask queue) stays with Node.
 *
 *   node dist/scripts/cpu-profile.js FILE.cpuprofile [--top 25]
 *
 * `npm run bench -- --profile FILE.cpuprofile` records such a profile of the service during a
 * saturated checkEligibility load and prints this summary.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The parts of V8's `.cpuprofile` format read here. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Package or folder to layer, first match wins (paths as V8 reports them). */
const LAYERS: [RegExp, string][] = [
  [
    /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|secure-json-parse|@as-integrations\/fastify)\//,
    'HTTP: Fastify (+ Apollo integration)',
  ],
  [
    /node_modules\/@nestjs\/(core|common|platform-fastify)\//,
    'Nest core (guards, pipes, filters, contexts)',
  ],
  [
    /node_modules\/@nestjs\/(graphql|apollo)\//,
    'Nest GraphQL (resolver wrapping, field middleware)',
  ],
  [/node_modules\/@apollo\//, 'Apollo Server (request pipeline, plugins, cache keys)'],
  [/node_modules\/graphql\//, 'graphql-js (parse, validate, execute)'],
  [/node_modules\/graphql-query-complexity\//, 'query cost (graphql-query-complexity)'],
  [
    /node_modules\/(class-validator|class-transformer|validator|libphonenumber-js)\//,
    'input validation (class-validator)',
  ],
  [/node_modules\/typeorm\//, 'TypeORM'],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+|pgpass)\//, 'pg driver'],
  [/node_modules\/dataloader\//, 'dataloader'],
  [/node_modules\/(rxjs|tslib|reflect-metadata)\//, 'rxjs, tslib, reflect-metadata'],
  [/node_modules\/([^/]+)\//, 'other packages'],
  [/\/dist\/src\/graphql\//, 'ours: src/graphql (limits, cost, plugins, edge)'],
  [/\/dist\/src\/eligibility\//, 'ours: src/eligibility (resolver, evaluation)'],
  [/\/dist\/src\/positive-lists\//, 'ours: src/positive-lists (lists, cache)'],
  [/\/dist\/src\/auth\//, 'ours: src/auth (guard, caller)'],
  [/\/dist\/src\/([^/]+)\//, 'ours: other src folders'],
  [/\/dist\/scripts\//, 'the benchmark script itself'],
];

const NODE = 'Node (event loop, microtasks, internals nothing above called)';

function layerOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'V8: garbage collection';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return 'V8/Node native (program)';
  const path = url.replace(/^file:\/\//, '');
  for (const [pattern, layer] of LAYERS) if (pattern.test(path)) return layer;
  if (path.startsWith('node:') || path === '') return NODE;
  return 'other';
}

export interface ProfileSummary {
  /** Milliseconds of samples, idle excluded. */
  busyMs: number;
  idleMs: number;
  layers: { layer: string; ms: number; share: number }[];
  functions: { name: string; layer: string; ms: number; share: number }[];
}

/** Self time per layer and per function, in milliseconds and as a share of busy time. */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  // A node's own layer, or for Node's code the layer of its nearest caller that is not Node.
  const charged = new Map<number, string>();
  const chargedLayer = (id: number): string => {
    const known = charged.get(id);
    if (known !== undefined) return known;
    const { callFrame } = byId.get(id)!;
    let layer = layerOf(callFrame.url, callFrame.functionName);
    const parent = parentOf.get(id);
    if (layer === NODE && parent !== undefined) {
      const above = chargedLayer(parent);
      if (above !== '(idle)' && !above.startsWith('V8')) layer = above;
    }
    charged.set(id, layer);
    return layer;
  };
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; the next delta is what sample i stands for.
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });
  const layers = new Map<string, number>();
  const functions = new Map<string, { layer: string; ms: number }>();
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = byId.get(id)!;
    const layer = chargedLayer(id);
    if (layer === '(idle)') {
      idleMs += ms;
      continue;
    }
    layers.set(layer, (layers.get(layer) ?? 0) + ms);
    const file = callFrame.url.replace(/^.*\/(node_modules|dist)\//, '');
    const name = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
    // The same Node function called from two layers is two entries (pg's writev, Fastify's).
    const key = `${name}\u0000${layer}`;
    const entry = functions.get(key) ?? { layer, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const busyMs = [...layers.values()].reduce((a, b) => a + b, 0);
  return {
    busyMs,
    idleMs,
    layers: [...layers]
      .map(([layer, ms]) => ({ layer, ms, share: ms / busyMs }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...functions]
      .map(([key, f]) => ({
        name: key.split('\u0000')[0],
        layer: f.layer,
        ms: f.ms,
        share: f.ms / busyMs,
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The summary as Markdown tables. */
export function printProfileSummary(summary: ProfileSummary, requests?: number): void {
  const perRequest = (ms: number) =>
    requests ? ` | ${((ms * 1000) / requests).toFixed(1)} µs` : '';
  console.log('');
  console.log(
    `CPU profile: ${(summary.busyMs / 1000).toFixed(2)} s busy, ${(summary.idleMs / 1000).toFixed(2)} s idle${requests ? `, ${requests} requests` : ''}; self time by layer:`,
  );
  console.log('');
  console.log(`| layer | self time | share${requests ? ' | per request' : ''} |`);
  console.log(`|---|---:|---:${requests ? '|---:' : ''}|`);
  for (const l of summary.layers)
    console.log(`| ${l.layer} | ${l.ms.toFixed(0)} ms | ${pct(l.share)}${perRequest(l.ms)} |`);
  console.log('');
  console.log('top functions by self time:');
  for (const f of summary.functions)
    console.log(`  ${pct(f.share).padStart(6)}  ${f.name}  [${f.layer}]`);
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: node dist/scripts/cpu-profile.js FILE.cpuprofile [--top 25]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as CpuProfile;
  printProfileSummary(summarizeProfile(profile, Number(values.top)));
}
