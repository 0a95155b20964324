import { EligibilityQueryInput, EligibilityResultView } from './eligibility.service';

/**
 * What an eligibility receipt states (docs/domain.md section 6): the question as asked (with
 * `on` filled in and parameters sorted by name), the answer, the version and its digest, and
 * the latest signed checkpoint. Signed as RFC 8785 JSON, it is an answer the registry cannot
 * later deny.
 */
export function receiptContent(
  origin: string,
  issuedAt: Date,
  result: EligibilityResultView,
  checkpoint: { treeSize: number; rootHash: string } | null,
): object {
  const q: EligibilityQueryInput = result.query;
  return {
    origin,
    issuedAt: issuedAt.toISOString(),
    query: {
      hostCountry: q.hostCountry,
      activityKey: q.activityKey ?? null,
      technology: q.technology ?? null,
      sectorCode: q.sectorCode ?? null,
      methodology: q.methodology ?? null,
      on: result.on,
      parameters: [...(q.parameters ?? [])]
        .map((p) => ({ name: p.name, number: p.number ?? null, text: p.text ?? null }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      baselineYear: q.baselineYear ?? null,
    },
    status: result.status,
    listVersion: result.listVersion
      ? {
          id: result.listVersion.id,
          version: result.listVersion.version,
          contentDigest: result.listVersion.contentDigest,
        }
      : null,
    matches: result.matches.map((m) => ({
      key: m.entry.key,
      status: m.status,
      baselineValue: m.baselineValue,
    })),
    checkpoint: checkpoint
      ? { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash }
      : null,
  };
}
