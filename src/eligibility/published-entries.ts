import { Injectable } from '@nestjs/common';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { ListsRepository } from '../positive-lists/lists.repository';
import { CandidateEntry } from './eligibility';

const MAX_VERSIONS = 1000;

/**
 * The entries of published versions, kept in memory across requests. Safe with any number of
 * instances and needing no invalidation: only a version in force is ever looked up here, and a
 * published version's entries never change (a change is a new version). Which version is in
 * force is still read from the database on every request, so a publish or withdrawal on any
 * instance takes effect everywhere at once.
 */
@Injectable()
export class PublishedEntries {
  private readonly versions = new Map<string, Promise<CandidateEntry<ActivityEntryEntity>[]>>();

  constructor(private readonly lists: ListsRepository) {}

  get(versionId: string): Promise<CandidateEntry<ActivityEntryEntity>[]> {
    const cached = this.versions.get(versionId);
    if (cached) {
      // Least recently used goes first: re-insert on every hit.
      this.versions.delete(versionId);
      this.versions.set(versionId, cached);
      return cached;
    }
    const loading = this.load(versionId);
    this.versions.set(versionId, loading);
    loading.catch(() => this.versions.delete(versionId));
    if (this.versions.size > MAX_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
    return loading;
  }

  private async load(versionId: string): Promise<CandidateEntry<ActivityEntryEntity>[]> {
    const entries = await this.lists.entriesOfVersions([versionId]);
    const codes = await this.lists.sectorCodesOfEntries(entries.map((e) => e.id));
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
