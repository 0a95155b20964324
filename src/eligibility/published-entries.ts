import { Injectable } from '@nestjs/common';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { JsonLogger } from '../logging/json-logger';
import { ListsRepository } from '../positive-lists/lists.repository';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { versionDigest } from '../positive-lists/content-digest';
import { CandidateEntry } from './eligibility';

const MAX_VERSIONS = 1000;

/**
 * The entries of published versions, kept in memory across requests. Safe with any number of
 * instances and needing no invalidation: only a version in force is ever looked up here, and a
 * published version's entries never change (a change is a new version; triggers refuse edits).
 * Which version is in force comes from ListsInForce, which every change to list versions
 * invalidates on every instance, so a publish or withdrawal on any instance takes effect
 * everywhere.
 *
 * Entries are cached under the version's id and content digest, and only after they hash to
 * that digest: rows edited behind the triggers' back are refused, never cached, so once they
 * are repaired no instance can still be serving the forged content.
 */
@Injectable()
export class PublishedEntries {
  private readonly versions = new Map<string, Promise<CandidateEntry<ActivityEntryEntity>[]>>();

  constructor(
    private readonly lists: ListsRepository,
    private readonly logger: JsonLogger,
  ) {}

  get(version: PositiveListVersionEntity): Promise<CandidateEntry<ActivityEntryEntity>[]> {
    const key = `${version.id}:${version.contentDigest ?? ''}`;
    const cached = this.versions.get(key);
    if (cached) {
      // Least recently used goes first: re-insert on every hit.
      this.versions.delete(key);
      this.versions.set(key, cached);
      return cached;
    }
    const loading = this.load(version);
    this.versions.set(key, loading);
    loading.catch(() => this.versions.delete(key));
    if (this.versions.size > MAX_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
    return loading;
  }

  private async load(
    version: PositiveListVersionEntity,
  ): Promise<CandidateEntry<ActivityEntryEntity>[]> {
    const entries = await this.lists.entriesOfVersions([version.id]);
    const codes = await this.lists.sectorCodesOfEntries(entries.map((e) => e.id));
    if (version.contentDigest) {
      const now = versionDigest(
        version,
        entries.map((e) => ({ ...e, sectorCodes: codes.get(e.id) ?? [] })),
      );
      if (now !== version.contentDigest) {
        this.logger.emit('error', 'published list content does not match its digest', {
          listVersionId: version.id,
          recorded: version.contentDigest,
          stored: now,
        });
        throw new Error(
          `list version ${version.id} does not match its published digest: not answering from it`,
        );
      }
    }
    return entries.map((e) => ({
      ref: e,
      key: e.key,
      kind: e.kind,
      name: e.name,
      technologies: e.technologies,
      methodologies: e.methodologies,
      sectorCodes: codes.get(e.id) ?? [],
      criteria: e.criteria,
      baseline: e.baseline,
      validFrom: e.validFrom,
      validUntil: e.validUntil,
    }));
  }
}
