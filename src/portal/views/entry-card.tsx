import { EntryKind } from '../../positive-lists/list-types';
import type { EntryWithSectors } from '../public-lists';
import { describeBaseline, describeCriterion } from './describe';
import { PageContext, href } from './page-context';

/** One entry as a list shows it: name, criteria in words, baseline in one line. */
export function EntryCard({
  ctx,
  country,
  item,
  on,
  linked = true,
}: {
  ctx: PageContext;
  country: string;
  item: EntryWithSectors;
  on?: string;
  /** Whether the name links to the entry's public page (not for drafts, which have none). */
  linked?: boolean;
}) {
  const { t } = ctx;
  const { entry } = item;
  return (
    <article class="entry">
      <h4>
        {linked ? (
          <a
            href={href(ctx, `/countries/${country}/entries/${encodeURIComponent(entry.key)}`, {
              on,
            })}
          >
            {entry.name}
          </a>
        ) : (
          entry.name
        )}{' '}
        <span class="muted">{entry.key}</span>
      </h4>
      {entry.description ? <p>{entry.description}</p> : null}
      {entry.technologies.length ? (
        <p>
          <strong>{t('lists:technologies')}:</strong> {entry.technologies.join(', ')}
        </p>
      ) : null}
      <p>
        <strong>{t('lists:criteria')}:</strong>
      </p>
      {entry.criteria.length ? (
        <ul>
          {entry.criteria.map((criterion, i) => (
            <li key={i}>{describeCriterion(ctx, criterion)}</li>
          ))}
        </ul>
      ) : (
        <p>
          {t(entry.kind === EntryKind.NEGATIVE ? 'lists:noCriteriaNegative' : 'lists:noCriteria')}
        </p>
      )}
      <p>
        <strong>{t('lists:baseline')}:</strong>{' '}
        {entry.baseline ? describeBaseline(ctx, entry.baseline) : t('lists:noBaseline')}
      </p>
      {entry.methodologies.length ? (
        <p>
          <strong>{t('lists:methodologies')}:</strong> {entry.methodologies.join(', ')}
        </p>
      ) : null}
    </article>
  );
}
