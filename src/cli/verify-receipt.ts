/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { existsSync, readFileSync } from 'node:fs';
import { verifySignedNote } from '../audit/checkpoint';
import { verifyConsistency } from '../audit/merkle-proofs';
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
 * also asks the live registry whether the version's digest is still the one published, and
 * checks that the registry's latest checkpoint, signed by the same key, extends the receipt's
 * (a consistency proof), so the answer it cites cannot have been rewritten since.
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
    const live = await askRegistry(registry, body, pinnedKey ?? receipt.publicKey);
    if (typeof live === 'number') return live;
    if (live.problems.length > 0) {
      console.log(`INVALID: ${live.problems.join('; ')}`);
      return 1;
    }
    notes.push(...live.notes);
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

async function askRegistry(
  url: string,
  body: ReceiptBody,
  signerKey: string,
): Promise<{ problems: string[]; notes: string[] } | number> {
  const graphql = url.replace(/\/+$/, '').replace(/(\/graphql)?$/, '/graphql');
  const ask = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await fetch(graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(15_000),
    });
    const data = ((await res.json()) as { data?: T }).data;
    if (!res.ok || !data) throw new Error(`HTTP ${res.status}`);
    return data;
  };
  let data: {
    listVersion?: { contentDigest: string | null } | null;
    auditCheckpoint?: { treeSize: number; rootHash: string; note: string } | null;
  };
  let proof: string[] | undefined;
  try {
    data = await ask<typeof data>(
      'query($id: ID!) { listVersion(id: $id) { contentDigest } auditCheckpoint { treeSize rootHash note } }',
      { id: body.listVersion?.id ?? '00000000-0000-0000-0000-000000000000' },
    );
    const now = data.auditCheckpoint;
    if (body.checkpoint && now && now.treeSize > body.checkpoint.treeSize) {
      proof = (
        await ask<{ auditConsistencyProof: { hashes: string[] } }>(
          'query($from: Int!, $to: Int!) { auditConsistencyProof(fromSize: $from, toSize: $to) { hashes } }',
          { from: body.checkpoint.treeSize, to: now.treeSize },
        )
      ).auditConsistencyProof.hashes;
    }
  } catch (error) {
    console.error(`could not reach the registry at ${graphql}: ${String(error)}`);
    return 2;
  }
  const problems: string[] = [];
  const notes: string[] = [];
  if (body.listVersion && data.listVersion?.contentDigest !== body.listVersion.contentDigest) {
    problems.push(
      `the registry now gives version ${body.listVersion.version} the digest ${data.listVersion?.contentDigest ?? 'none'}, not ${body.listVersion.contentDigest}`,
    );
  } else if (body.listVersion) {
    notes.push('the registry still publishes that content');
  }
  const now = data.auditCheckpoint;
  if (!body.checkpoint) return { problems, notes };
  const cited = body.checkpoint;
  if (!now || now.treeSize < cited.treeSize) {
    problems.push(
      `the registry's log is at ${now?.treeSize ?? 0} events, behind the receipt's checkpoint of ${cited.treeSize}: it was rolled back`,
    );
    return { problems, notes };
  }
  try {
    // The registry's checkpoint counts only if the receipt's signer signed it.
    verifySignedNote(now.note, signerKey);
  } catch (error) {
    problems.push(`the registry's latest checkpoint: ${(error as Error).message}`);
    return { problems, notes };
  }
  if (now.treeSize === cited.treeSize) {
    if (now.rootHash !== cited.rootHash)
      problems.push('the registry signed another root for the same tree size: its log was forked');
    else notes.push("its latest signed checkpoint is the receipt's");
  } else if (
    !verifyConsistency(
      cited.treeSize,
      now.treeSize,
      (proof ?? []).map((h) => Buffer.from(h, 'hex')),
      Buffer.from(cited.rootHash, 'hex'),
      Buffer.from(now.rootHash, 'hex'),
    )
  ) {
    problems.push(
      `the registry's log of ${now.treeSize} events does not extend the receipt's checkpoint of ${cited.treeSize} (the consistency proof fails): its history was rewritten`,
    );
  } else {
    notes.push(
      `its latest signed checkpoint (${now.treeSize} events) provably extends the receipt's (${cited.treeSize})`,
    );
  }
  return { problems, notes };
}
