import { Injectable } from '@nestjs/common';
import { HostCountryEntity } from '../countries/host-country.entity';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { EntryKind } from '../positive-lists/list-types';
import { ListQueriesService } from '../positive-lists/list-queries.service';
import { PageError } from './page-error';
import { PublicLists } from './public-lists';

/** The search form as typed: `/search?q=&country=&kind=&on=&after=&first=`. */
export interface SearchForm {
  q: string;
  country: string;
  kind: EntryKind | '';
  on: string;
  after: string;
  first: string;
}

export interface SearchHit {
  entry: ActivityEntryEntity;
  country: HostCountryEntity;
}

export interface SearchPage {
  hits: SearchHit[];
  total: number;
  /** The cursor of the next page, or null on the last one. */
  next: string | null;
}

const KINDS: string[] = [EntryKind.POSITIVE, EntryKind.NEGATIVE];

export function readSearchForm(query: URLSearchParams): SearchForm {
  const one = (name: string) => query.get(name)?.trim() ?? '';
  const kind = one('kind').toUpperCase();
  if (kind !== '' && !KINDS.includes(kind)) throw PageError.badNumber('kind', one('kind'));
  return {
    q: one('q'),
    country: one('country').toUpperCase(),
    kind: kind as SearchForm['kind'],
    on: one('on'),
    after: one('after'),
    first: one('first'),
  };
}

/** Something to search for: with none, the page shows the form only. */
export const asksSomething = (form: SearchForm) =>
  form.q !== '' || form.country !== '' || form.kind !== '';

/**
 * Entries of the lists in force across countries, through ListQueriesService.search (the
 * GraphQL `searchEntries` path): keyset pages, 20 by default, with the total count. A bad
 * cursor or page size is the reader's error (400), raised by the service.
 */
@Injectable()
export class EntrySearch {
  constructor(
    private readonly queries: ListQueriesService,
    private readonly lists: PublicLists,
  ) {}

  async search(form: SearchForm, on: string): Promise<SearchPage> {
    const country = form.country ? await this.lists.country(form.country) : null;
    if (form.first !== '' && !/^\d{1,3}$/.test(form.first)) {
      throw PageError.badNumber('first', form.first);
    }
    const found = await this.queries.search(
      {
        text: form.q || null,
        hostCountries: country ? [country.code] : null,
        kind: form.kind || null,
        on,
      },
      form.first === '' ? null : Number(form.first),
      form.after || null,
    );
    // Each hit belongs to the version in force on `on` of one country: name them from that.
    const inForce = await this.lists.countriesInForce(on);
    const byVersion = new Map(
      inForce.flatMap(({ country: c, version }) => (version ? [[version.id, c] as const] : [])),
    );
    const hits = found.edges.flatMap(({ node }) => {
      const owner = byVersion.get(node.listVersionId);
      return owner ? [{ entry: node, country: owner }] : [];
    });
    return {
      hits,
      total: await found.countTotal(),
      next: found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null,
    };
  }
}
