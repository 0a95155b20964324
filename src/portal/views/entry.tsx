import type { ComponentChildren } from 'preact';
import type { JsonValue } from '../../audit/canonical-json';
import { EntryHistoryChange, EntryKind, ListStatus } from '../../positive-lists/list-types';
import type { EntryInForce } from '../entry-reads';
import { BaselineChartFigure } from './baseline-chart';
import { describeBaseline, describeCriterion, formatNumber } from './describe';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

/** One term of the entry: a label and what the country wrote, or "not given". */
function Term({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** A value a version held, as the country wrote it: text as text, anything else as JSON. */
function shown(ctx: PageContext, value: JsonValue | null): string {
  if (value === null || value === '') return ctx.t('entry:empty');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The entry `key` of the list in force on a date, every field of it: what the activity is,
 * when it is eligible, the baseline with its trajectory, the terms of crediting and
 * authorisation, and what each published version did to it.
 */
export function EntryPage(props: EntryInForce & { ctx: PageContext; today: string }) {
  const { ctx, country, on, version, item, history } = props;
  const { t } = ctx;
  const { entry, sectors } = item;
  const asOf = on === props.today ? undefined : on;
  const pct = (value: number | null) =>
    value === null ? t('entry:none') : t('entry:percent', { value: formatNumber(ctx, value) });
  const entryPath = `/countries/${country.code}/entries/${encodeURIComponent(entry.key)}`;
  return (
    <Layout ctx={ctx} title={entry.name}>
      <p>
        <span class={`badge ${entry.kind === EntryKind.POSITIVE ? 'ok' : 'no'}`}>
          {t(`kind.${entry.kind}`)}
        </span>{' '}
        <span class="digest">{entry.key}</span>
      </p>
      <p>
        {t('entry:asListed', { version: version.version, country: country.name, date: on })}{' '}
        <a class="no-print" href={href(ctx, `/countries/${country.code}`, { on: asOf })}>
          {t('entry:backToList', { country: country.name })}
        </a>
      </p>
      <form class="inline" method="get" action={entryPath}>
        <div>
          <label for="on">{t('entry:onDate')}</label>
          <input id="on" name="on" type="date" value={on} required />
        </div>
        {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
        <button type="submit">{t('show')}</button>
      </form>

      <h2>{t('entry:what')}</h2>
      <dl class="terms">
        <Term label={t('entry:kind')}>{t(`kind.${entry.kind}`)}</Term>
        <Term label={t('entry:key')}>{entry.key}</Term>
        <Term label={t('entry:description')}>{entry.description ?? t('entry:none')}</Term>
        <Term label={t('entry:technologies')}>
          {entry.technologies.length ? entry.technologies.join(', ') : t('entry:none')}
        </Term>
        <Term label={t('entry:ndcComponent')}>
          {t(`entry:component.${entry.ndcComponent as 'CONDITIONAL'}`)}
        </Term>
        <Term label={t('entry:ndcMeasureRef')}>{entry.ndcMeasureRef ?? t('entry:none')}</Term>
        {/* A negative entry is excluded, not additional: no rationale to miss. */}
        {entry.kind === EntryKind.POSITIVE || entry.additionalityRationale ? (
          <Term label={t('entry:additionality')}>
            {entry.additionalityRationale ?? t('entry:none')}
          </Term>
        ) : null}
      </dl>

      <h3>{t('entry:sectors')}</h3>
      {sectors.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('entry:sectorCode')}</th>
              <th scope="col">{t('entry:sectorName')}</th>
              <th scope="col">{t('entry:ipccSector')}</th>
              <th scope="col">{t('entry:ipccCategories')}</th>
            </tr>
          </thead>
          <tbody>
            {sectors.map((sector) => (
              <tr key={sector.id}>
                <th scope="row">{sector.code}</th>
                <td>{sector.name}</td>
                <td>{sector.ipccSector}</td>
                <td>{sector.ipccCategories.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('entry:noSectors')}</p>
      )}

      <h2>{t('entry:criteria')}</h2>
      {entry.criteria.length ? (
        <ul>
          {entry.criteria.map((criterion, i) => (
            <li key={i}>
              {describeCriterion(ctx, criterion)}
              {criterion.description ? (
                <span class="muted">{` (${criterion.description})`}</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>
          {t(entry.kind === EntryKind.NEGATIVE ? 'lists:noCriteriaNegative' : 'lists:noCriteria')}
        </p>
      )}
      <h3>{t('entry:methodologies')}</h3>
      <p>{entry.methodologies.length ? entry.methodologies.join(', ') : t('entry:none')}</p>

      <h2>{t('entry:baseline')}</h2>
      {entry.baseline ? (
        <>
          <p>{describeBaseline(ctx, entry.baseline)}</p>
          <dl class="terms">
            {entry.baseline.description ? (
              <Term label={t('entry:baselineDescription')}>{entry.baseline.description}</Term>
            ) : null}
            <Term label={t('entry:parameterValidation')}>
              {t(`entry:validation.${entry.baseline.parameterValidation}`)}
              {entry.baseline.updateIntervalYears
                ? `, ${t('entry:updateInterval', { count: entry.baseline.updateIntervalYears })}`
                : null}
            </Term>
            {entry.baseline.methodologyReference ? (
              <Term label={t('entry:methodologyReference')}>
                {entry.baseline.methodologyReference}
              </Term>
            ) : null}
          </dl>
          <BaselineChartFigure ctx={ctx} rule={entry.baseline} />
        </>
      ) : (
        <p>{t('lists:noBaseline')}</p>
      )}

      <h2>{t('entry:crediting')}</h2>
      <p>
        {entry.crediting
          ? `${t('entry:creditingPeriod', { count: entry.crediting.periodYears })}, ${t(
              'entry:renewals',
              { count: entry.crediting.renewals },
            )}`
          : t('entry:noCrediting')}
      </p>

      <h2>{t('entry:authorization')}</h2>
      {entry.authorization ? (
        <dl class="terms">
          <Term label={t('entry:authorizedUses')}>
            {entry.authorization.authorizedUses.length
              ? entry.authorization.authorizedUses.map((use) => t(`entry:use.${use}`)).join(', ')
              : t('entry:none')}
          </Term>
          <Term label={t('entry:correspondingAdjustment')}>
            {t(
              entry.authorization.correspondingAdjustment ? 'entry:required' : 'entry:notRequired',
            )}
          </Term>
          <Term label={t('entry:shareRetained')}>
            {pct(entry.authorization.shareRetainedForNdcPct)}
          </Term>
          <Term label={t('entry:shareOfProceeds')}>
            {pct(entry.authorization.shareOfProceedsPct ?? null)}
          </Term>
          <Term label={t('entry:omgeCancellation')}>
            {pct(entry.authorization.omgeCancellationPct ?? null)}
          </Term>
        </dl>
      ) : (
        <p>{t('entry:noAuthorization')}</p>
      )}

      <h2>{t('entry:validity')}</h2>
      <dl class="terms">
        <Term label={t('entry:validFrom')}>{entry.validFrom ?? t('entry:always')}</Term>
        <Term label={t('entry:validUntil')}>{entry.validUntil ?? t('entry:always')}</Term>
        <Term label={t('entry:reviewDue')}>{entry.reviewDue ?? t('entry:always')}</Term>
        <Term label={t('entry:legalBasis')}>{entry.legalBasis ?? t('entry:none')}</Term>
      </dl>

      <h2 id="history">{t('entry:history')}</h2>
      <p>{t('entry:historyIntro')}</p>
      {history.length === 0 ? <p>{t('entry:noHistory')}</p> : null}
      <ol class="history" hidden={history.length === 0}>
        {history.map((step) => {
          const line = t(`entry:change.${step.change}`, { version: step.version.version });
          // A version still published and dated shows the entry as it listed it.
          const linked =
            step.change !== EntryHistoryChange.REMOVED &&
            step.version.status === ListStatus.PUBLISHED &&
            step.version.effectiveFrom;
          return (
            <li key={step.version.id}>
              <strong>
                {linked ? (
                  <a href={href(ctx, entryPath, { on: step.version.effectiveFrom })}>{line}</a>
                ) : (
                  line
                )}
              </strong>{' '}
              <span class="muted">
                {step.version.effectiveUntil
                  ? t('effectiveUntil', {
                      from: step.version.effectiveFrom,
                      until: step.version.effectiveUntil,
                    })
                  : step.version.effectiveFrom
                    ? t('effective', { from: step.version.effectiveFrom })
                    : null}
              </span>
              {step.changes.length ? (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('entry:field')}</th>
                      <th scope="col">{t('entry:before')}</th>
                      <th scope="col">{t('entry:after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {step.changes.map((change) => (
                      <tr key={change.path}>
                        <th scope="row">
                          <code>{change.path}</code>
                        </th>
                        <td>{shown(ctx, change.before)}</td>
                        <td>{shown(ctx, change.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </li>
          );
        })}
      </ol>
    </Layout>
  );
}
