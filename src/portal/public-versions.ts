import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { HostCountryEntity } from '../countries/host-country.entity';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { ListStatus } from '../positive-lists/list-types';
import { ListLoaders } from '../positive-lists/list.loaders';
import { EntryDiff, ListQueriesService } from '../positive-lists/list-queries.service';
import { isPublic } from '../positive-lists/list-visibility';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { visibleStatus } from '../positive-lists/workflow';
import { PageError } from './page-error';

/** A public version with the status a reader sees (SUPERSEDED derived from its dates). */
export interface PublicVersion {
  version: PositiveListVersionEntity;
  status: ListStatus;
}

/** A changed entry with both sides whole, to put a changed criterion or baseline in words. */
export type ChangedEntry = EntryDiff['changed'][number] & {
  before: ActivityEntryEntity;
  after: ActivityEntryEntity;
};

export interface PublicDiff extends Omit<EntryDiff, 'changed'> {
  from: PublicVersion;
  to: PublicVersion;
  changed: ChangedEntry[];
}

/**
 * A country's public versions by number, as the GraphQL API gives them (HostCountry.listVersions
 * for an anonymous caller, listDiff): never a draft, a submission or a discarded draft. Version
 * numbers are what readers see in URLs; ids stay inside.
 */
@Injectable()
export class PublicVersions {
  constructor(
    private readonly loaders: ListLoaders,
    private readonly queries: ListQueriesService,
    private readonly clock: Clock,
  ) {}

  /** Every public version of the country, newest first. */
  async timeline(country: HostCountryEntity): Promise<PublicVersion[]> {
    const versions = await this.loaders.of({}).versionsByCountry.load(country.code);
    return versions.filter(isPublic).map((v) => this.withStatus(v));
  }

  /**
   * The public version numbered by a URL segment or query parameter: 400 when it is not a
   * number, 404 when the country has no public version of that number (a draft's number
   * included: drafts do not exist for the public).
   */
  async byNumber(country: HostCountryEntity, name: string, param: unknown): Promise<PublicVersion> {
    const number = versionNumber(name, param);
    const found = (await this.timeline(country)).find((v) => v.version.version === number);
    if (!found) throw PageError.notFound();
    return found;
  }

  /** The public version a version was drafted from, if there is one. */
  async basedOn(
    country: HostCountryEntity,
    version: PositiveListVersionEntity,
  ): Promise<PublicVersion | null> {
    if (!version.basedOnVersionId) return null;
    return (
      (await this.timeline(country)).find((v) => v.version.id === version.basedOnVersionId) ?? null
    );
  }

  /** The public version before this one by number, for "what changed" links. */
  async previous(country: HostCountryEntity, version: PositiveListVersionEntity) {
    return (await this.timeline(country)).find((v) => v.version.version < version.version) ?? null;
  }

  /** Entries added, removed and changed field by field between two public versions. */
  async diff(country: HostCountryEntity, from: unknown, to: unknown): Promise<PublicDiff> {
    // Both numbers are checked before either is looked up: a bad parameter is a 400 page.
    versionNumber('from', from);
    versionNumber('to', to);
    const [before, after] = await Promise.all([
      this.byNumber(country, 'from', from),
      this.byNumber(country, 'to', to),
    ]);
    // An anonymous caller, as a reader of the API: the service itself refuses drafts too.
    const diff = await this.queries.diff(
      { principal: null, requestId: randomUUID() },
      before.version.id,
      after.version.id,
    );
    const loaders = this.loaders.of({});
    const [fromEntries, toEntries] = await Promise.all([
      loaders.entriesByVersion.load(before.version.id),
      loaders.entriesByVersion.load(after.version.id),
    ]);
    const byKey = (entries: ActivityEntryEntity[]) => new Map(entries.map((e) => [e.key, e]));
    const [was, is] = [byKey(fromEntries), byKey(toEntries)];
    const changed = diff.changed.flatMap((change) => {
      const [b, a] = [was.get(change.key), is.get(change.key)];
      return b && a ? [{ ...change, before: b, after: a }] : [];
    });
    return { ...diff, changed, from: before, to: after };
  }

  private withStatus(version: PositiveListVersionEntity): PublicVersion {
    return {
      version,
      status: visibleStatus(version.status, version.effectiveUntil, this.clock.today()),
    };
  }
}

/** A positive version number from a request, or the reader's error (a 400 page). */
function versionNumber(name: string, param: unknown): number {
  if (param === undefined || param === '')
    throw new PageError(400, (t) => t('versions:missingNumber', { name }));
  if (typeof param !== 'string' || !/^[1-9][0-9]{0,8}$/.test(param)) {
    const value = typeof param === 'string' ? param : JSON.stringify(param);
    throw new PageError(400, (t) => t('versions:badNumber', { value }));
  }
  return Number(param);
}
