import { Injectable, OnModuleInit } from '@nestjs/common';
import { ContentChecks, VerificationProblem } from '../audit/content-checks';
import { versionDigest } from './content-digest';
import { ListsRepository } from './lists.repository';

const BATCH = 50;

/**
 * Part of verifyAuditTrail: every published version's content, recomputed from the stored
 * rows, must still have the digest its PUBLISH event recorded (and the version row carries).
 * This is what catches an edit made in SQL by someone able to switch the triggers off.
 */
@Injectable()
export class PublishedContentCheck implements OnModuleInit {
  constructor(
    private readonly lists: ListsRepository,
    private readonly checks: ContentChecks,
  ) {}

  onModuleInit(): void {
    this.checks.register(() => this.problems());
  }

  async problems(): Promise<VerificationProblem[]> {
    const versions = await this.lists.publishedVersions();
    const recorded = await this.lists.recordedDigests();
    const problems: VerificationProblem[] = [];
    for (let i = 0; i < versions.length; i += BATCH) {
      const batch = versions.slice(i, i + BATCH);
      const entries = await this.lists.entriesOfVersions(batch.map((v) => v.id));
      const codes = await this.lists.sectorCodesOfEntries(entries.map((e) => e.id));
      for (const version of batch) {
        const now = versionDigest(
          version,
          entries
            .filter((e) => e.listVersionId === version.id)
            .map((e) => ({ ...e, sectorCodes: codes.get(e.id) ?? [] })),
        );
        const expected = recorded.get(version.id) ?? version.contentDigest;
        if (now !== expected || (version.contentDigest && now !== version.contentDigest)) {
          problems.push({
            seq: null,
            listVersionId: version.id,
            message:
              `version ${version.version} of ${version.hostCountryCode}: its stored content no ` +
              `longer matches the digest recorded when it was published (${expected ?? 'none'}); ` +
              `it now gives ${now}`,
          });
        }
      }
    }
    return problems;
  }
}
