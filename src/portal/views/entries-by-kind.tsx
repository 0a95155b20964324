import { EntryKind } from '../../positive-lists/list-types';
import type { EntryWithSectors } from '../public-lists';
import { EntryCard } from './entry-card';
import { PageContext } from './page-context';

const KINDS = [EntryKind.POSITIVE, EntryKind.NEGATIVE];

/** Entries under their first NDC sector (by code), sectors in code order. */
function bySector(items: EntryWithSectors[]): [string, string, EntryWithSectors[]][] {
  const groups = new Map<string, [string, string, EntryWithSectors[]]>();
  for (const item of items) {
    const sector = item.sectors[0];
    const code = sector?.code ?? '';
    const group = groups.get(code) ?? [code, sector?.name ?? '', []];
    group[2].push(item);
    groups.set(code, group);
  }
  return [...groups.values()].sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * A version's entries apart by kind (positive, then negative) and grouped by sector: the one
 * way the portal lays out a list, on the country page and on each version's page alike.
 */
export function EntriesByKind({
  ctx,
  country,
  entries,
  on,
  linked = true,
}: {
  ctx: PageContext;
  country: string;
  entries: EntryWithSectors[];
  /** The date entry links show the entry on; undefined: today. */
  on?: string;
  /** Whether entries link to their public pages (a draft's do not have any). */
  linked?: boolean;
}) {
  const { t } = ctx;
  return (
    <>
      {KINDS.map((kind) => {
        const ofKind = entries.filter((item) => item.entry.kind === kind);
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>
              {t(`kind.${kind}`)}{' '}
              <span class="muted">{t('country:entries', { count: ofKind.length })}</span>
            </h2>
            {ofKind.length === 0 ? <p>{t('country:noEntries')}</p> : null}
            {bySector(ofKind).map(([code, name, items]) => (
              <section key={code}>
                <h3>{code ? `${code} · ${name}` : t('country:noSector')}</h3>
                {items.map((item) => (
                  <EntryCard
                    key={item.entry.id}
                    ctx={ctx}
                    country={country}
                    item={item}
                    on={on}
                    linked={linked}
                  />
                ))}
              </section>
            ))}
          </section>
        );
      })}
    </>
  );
}
