/**
 * The commands the transparency page shows, exactly as the README gives them ("Audit trail"
 * and "How to watch this registry"), so that a reader who copies them runs what the
 * documentation describes. Commands are never translated: they live here, not in the catalog.
 */

/** Sets the two variables every command below uses: the registry's address and its key. */
export function setupCommand(publicKey: string | undefined): string {
  return [
    "URL='https://registry.example.gov'   # this registry's address",
    `PUBLISHED_KEY='${publicKey ?? 'BASE64-PUBLIC-KEY'}'`,
  ].join('\n');
}

/** README "Audit trail", step 1: download the history and the latest checkpoint. */
export const EXPORT_COMMAND = `curl -fsS -H "authorization: Bearer $AUDITOR_KEY" "$URL/audit/export" > audit.ndjson
curl -sS "$URL/graphql" -H 'content-type: application/json' \\
  -d '{"query": "{ auditCheckpoint { treeSize rootHash signedAt keyId publicKey signature body } }"}' > checkpoint.json`;

/** README "Audit trail", step 2: verify offline against the pinned key. */
export const VERIFY_COMMAND = `npm run cli -- verify-audit audit.ndjson --checkpoint checkpoint.json --public-key "$PUBLISHED_KEY"`;

/** README "How to watch this registry": the monitor, once by hand. */
export const MONITOR_COMMAND = `npm run cli -- monitor --url "$URL" --public-key "$PUBLISHED_KEY" --state ~/registry-monitor.json`;

/** README "How to watch this registry": the same monitor from cron, mailing any failure. */
export const MONITOR_CRON = `*/10 * * * * cd /opt/registry && npm run --silent cli -- monitor --url https://registry.example.gov --public-key KEY --state /var/lib/monitor/state.json || echo "registry log check failed" | mail -s registry oversight@example.gov`;

/** README "How to watch this registry": the signed checkpoints, newest first. */
export const CHECKPOINTS_QUERY = `curl -sS "$URL/graphql" -H 'content-type: application/json' \\
  -d '{"query": "{ auditCheckpoints(first: 10) { totalCount edges { node { treeSize rootHash signedAt note } } } }"}'`;

/** A checkpoint that reached the reader as a file (the download on this page). */
export const MONITOR_FILE_COMMAND = `npm run cli -- monitor --checkpoint checkpoint.txt --public-key "$PUBLISHED_KEY" --state ~/registry-monitor.json`;
