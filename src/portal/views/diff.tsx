import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { JsonValue } from '../../audit/canonical-json';
import type { ActivityEntryEntity } from '../../positive-lists/activity-entry.entity';
import type { BaselineRule, Criterion } from '../../positive-lists/list-types';
import type { ChangedEntry, PublicDiff } from '../public-versions';
import { describeBaseline, describeCriterion } from './describe';
import { Layout } from './layout';
import { PageContext, href } from './page-context';
import { versionPath } from './versions';

const isObject = (v: JsonValue): v is Record<string, JsonValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One side of a field change, readable: a whole criterion or baseline in words (as the
 * list shows it), a list of words joined, a leaf as it is, anything else as indented JSON.
 */
export function FieldValue({
  ctx,
  path,
  value,
}: {
  ctx: PageContext;
  path: string;
  value: JsonValue;
}) {
  if (value === null || value === '') return <span class="muted">{ctx.t('versions:empty')}</span>;
  if (isObject(value) && /^criteria\[\d+\]$/.test(path))
    return <>{describeCriterion(ctx, value as unknown as Criterion)}</>;
  if (isObject(value) && path === 'baseline')
    return <>{describeBaseline(ctx, value as unknown as BaselineRule)}</>;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return <>{value.length ? value.join(', ') : ctx.t('versions:empty')}</>;
  if (typeof value === 'object') return <pre>{JSON.stringify(value, null, 2)}</pre>;
  return <>{String(value)}</>;
}

/** Added or removed entries: key, name, kind, linked to the entry on a date of its version. */
function EntryTable({
  ctx,
  country,
  entries,
  on,
  id,
  linked = true,
}: {
  ctx: PageContext;
  country: string;
  entries: ActivityEntryEntity[];
  on: string | null;
  id: string;
  /** False for a version not yet public: its entries have no public page to link to. */
  linked?: boolean;
}) {
  const { t } = ctx;
  if (entries.length === 0) return <p>{t('versions:noneOfThese')}</p>;
  return (
    <table aria-labelledby={id}>
      <thead>
        <tr>
          <th scope="col">{t('lists:key')}</th>
          <th scope="col">{t('versions:entryName')}</th>
          <th scope="col">{t('versions:kind')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td>
              <span class="digest">{entry.key}</span>
            </td>
            <td>
              {linked ? (
                <a
                  href={href(
                    ctx,
                    `/countries/${country}/entries/${encodeURIComponent(entry.key)}`,
                    { on },
                  )}
                >
                  {entry.name}
                </a>
              ) : (
                entry.name
              )}
            </td>
            <td>{t(`kind.${entry.kind}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The criterion or baseline a changed leaf belongs to, in words, as the entry had it: a bare
 * "5 → 10" under `criteria[0].threshold` does not say what was 5.
 */
function wholeOf(ctx: PageContext, entry: ActivityEntryEntity, path: string): string | null {
  const criterion = /^criteria\[(\d+)\]\./.exec(path);
  if (criterion) {
    const found = entry.criteria[Number(criterion[1])];
    return found ? describeCriterion(ctx, found) : null;
  }
  if (path.startsWith('baseline.') && entry.baseline) return describeBaseline(ctx, entry.baseline);
  return null;
}

function InWords({ text }: { text: string | null }) {
  return text ? <div class="muted">{text}</div> : null;
}

/** The changes of one entry, field by field. */
function ChangeTable({ ctx, entry }: { ctx: PageContext; entry: ChangedEntry }) {
  const { t } = ctx;
  const { name, changes } = entry;
  return (
    <table class="changes">
      <caption class="visually-hidden">{t('versions:changesOf', { name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('versions:field')}</th>
          <th scope="col">{t('versions:before')}</th>
          <th scope="col">{t('versions:after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.path}>
            <th scope="row">
              <code>{change.path}</code>
            </th>
            <td class="before">
              <FieldValue ctx={ctx} path={change.path} value={change.before} />
              <InWords text={wholeOf(ctx, entry.before, change.path)} />
            </td>
            <td class="after">
              <FieldValue ctx={ctx} path={change.path} value={change.after} />
              <InWords text={wholeOf(ctx, entry.after, change.path)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What changed from one public version to another: entries added, removed, changed. */
export function DiffPage({
  ctx,
  country,
  diff,
}: {
  ctx: PageContext;
  country: HostCountryEntity;
  diff: PublicDiff;
}) {
  const { t } = ctx;
  const from = diff.from.version;
  const to = diff.to.version;
  const link = (v: typeof from) => (
    <a href={href(ctx, versionPath(country.code, v.version))}>
      {t('version', { version: v.version })}
    </a>
  );
  return (
    <Layout
      ctx={ctx}
      title={t('versions:diffTitle', { name: country.name, from: from.version, to: to.version })}
    >
      <ul class="no-print">
        <li>
          {link(from)}: {from.title}
        </li>
        <li>
          {link(to)}: {to.title}
        </li>
        <li>
          <a href={href(ctx, `/countries/${country.code}/versions`)}>{t('versions:allVersions')}</a>
        </li>
      </ul>
      <p>{t('versions:diffIntro')}</p>
      <DiffSections ctx={ctx} country={country.code} diff={diff} linked />
    </Layout>
  );
}

/**
 * Entries added, removed and changed field by field: the diff page's body, also the
 * workspace's review of a submitted version against the version in force.
 */
export function DiffSections({
  ctx,
  country,
  diff,
  linked,
  level = 2,
}: {
  ctx: PageContext;
  country: string;
  diff: Pick<PublicDiff, 'from' | 'to' | 'added' | 'removed' | 'changed'>;
  linked: boolean;
  /** The rank of the sections' headings: 3 where they sit under a heading of the page's own. */
  level?: 2 | 3;
}) {
  const { t } = ctx;
  const Section = level === 2 ? 'h2' : 'h3';
  const Entry = level === 2 ? 'h3' : 'h4';
  return (
    <>
      <section aria-labelledby="added">
        <Section id="added">
          {t('versions:added')}{' '}
          <span class="muted">{t('versions:count', { count: diff.added.length })}</span>
        </Section>
        <EntryTable
          ctx={ctx}
          country={country}
          entries={diff.added}
          on={diff.to.version.effectiveFrom}
          id="added"
          linked={linked}
        />
      </section>
      <section aria-labelledby="removed">
        <Section id="removed">
          {t('versions:removed')}{' '}
          <span class="muted">{t('versions:count', { count: diff.removed.length })}</span>
        </Section>
        <EntryTable
          ctx={ctx}
          country={country}
          entries={diff.removed}
          on={diff.from.version.effectiveFrom}
          id="removed"
          linked={linked}
        />
      </section>
      <section aria-labelledby="changed">
        <Section id="changed">
          {t('versions:changed')}{' '}
          <span class="muted">{t('versions:count', { count: diff.changed.length })}</span>
        </Section>
        {diff.changed.length === 0 ? <p>{t('versions:noneOfThese')}</p> : null}
        {diff.changed.map((entry) => (
          <section key={entry.key} class="entry">
            <Entry>
              {entry.name} <span class="muted">{entry.key}</span>
            </Entry>
            <ChangeTable ctx={ctx} entry={entry} />
          </section>
        ))}
      </section>
    </>
  );
}
