/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { existsSync, readFileSync } from 'node:fs';
import { SignedStatement, statementProblems } from '../audit/statement';

interface ReceiptBody {
  listVersion: { id: string; version: number; contentDigest: string | null } | null;
  checkpoint: { treeSize: number; rootHash: string } | null;
}

/** The receipt in a file: the receipt itself, or any JSON (a GraphQL answer) holding one. */
function findReceipt(value: unknown): SignedStatement | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if (['body', 'keyId', 'publicKey', 'signature'].every((k) => typeof o[k] === 'string'))
    return o as unknown as SignedStatement;
  for (const child of Object.values(o)) {
    const found = findReceipt(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * `npm run cli -- verify-receipt FILE [--public-key K] [--registry URL]`: checks an eligibility
 * receipt with no database. Exit 0 valid, 1 invalid, 2 could not check. With `--registry`, it
 * also asks the live registry whether the version's digest is still the one published and
 * whether its log still reaches the receipt's checkpoint.
 */
export async function verifyReceipt(
  file: string | undefined,
  pinnedKey: string | undefined,
  registry: string | undefined,
): Promise<number> {
  if (!file || !existsSync(file)) {
    console.error(
      'verify-receipt needs a receipt file: verify-receipt FILE [--public-key BASE64] [--registry URL]',
    );
    return 2;
  }
  let receipt: SignedStatement | undefined;
  try {
    receipt = findReceipt(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    console.log(`INVALID: ${file} is not JSON`);
    return 1;
  }
  if (!receipt) {
    console.log(`INVALID: ${file} holds no receipt (body, keyId, publicKey, signature)`);
    return 1;
  }
  const problems = statementProblems(receipt, pinnedKey);
  if (problems.length > 0) {
    console.log(`INVALID: ${problems.join('; ')}`);
    return 1;
  }
  const body = JSON.parse(receipt.body) as ReceiptBody;
  const notes: string[] = [];
  if (registry) {
    const live = await askRegistry(registry, body);
    if (typeof live === 'number') return live;
    if (live.length > 0) {
      console.log(`INVALID: ${live.join('; ')}`);
      return 1;
    }
    notes.push('the registry still publishes that content and its log reaches the checkpoint');
  }
  console.log(
    `OK: receipt signed by key ${receipt.keyId}` +
      (pinnedKey
        ? ' (the pinned key)'
        : '; signature not checked against a trusted key (pass --public-key)') +
      (body.listVersion
        ? `; version ${body.listVersion.version} with digest ${body.listVersion.contentDigest}`
        : '; no list in force') +
      (notes.length ? `; ${notes.join('; ')}` : ''),
  );
  return 0;
}

async function askRegistry(url: string, body: ReceiptBody): Promise<string[] | number> {
  const graphql = url.replace(/\/+$/, '').replace(/(\/graphql)?$/, '/graphql');
  let data: {
    listVersion?: { contentDigest: string | null } | null;
    auditCheckpoint?: { treeSize: number; rootHash: string } | null;
  };
  try {
    const res = await fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query($id: ID!) { listVersion(id: $id) { contentDigest } auditCheckpoint { treeSize rootHash } }',
        variables: { id: body.listVersion?.id ?? '00000000-0000-0000-0000-000000000000' },
      }),
      signal: AbortSignal.timeout(15_000),
    });
    data = ((await res.json()) as { data: typeof data }).data;
    if (!res.ok || !data) throw new Error(`HTTP ${res.status}`);
  } catch (error) {
    console.error(`could not reach the registry at ${graphql}: ${String(error)}`);
    return 2;
  }
  const problems: string[] = [];
  if (body.listVersion && data.listVersion?.contentDigest !== body.listVersion.contentDigest) {
    problems.push(
      `the registry now gives version ${body.listVersion.version} the digest ${data.listVersion?.contentDigest ?? 'none'}, not ${body.listVersion.contentDigest}`,
    );
  }
  const now = data.auditCheckpoint;
  if (body.checkpoint) {
    if (!now || now.treeSize < body.checkpoint.treeSize)
      problems.push(
        `the registry's log is at ${now?.treeSize ?? 0} events, behind the receipt's checkpoint of ${body.checkpoint.treeSize}: it was rolled back`,
      );
    else if (now.treeSize === body.checkpoint.treeSize && now.rootHash !== body.checkpoint.rootHash)
      problems.push('the registry signed another root for the same tree size: its log was forked');
  }
  return problems;
}
