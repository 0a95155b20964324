import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { EntryAnswer } from '../../eligibility/eligibility';
import { CriterionOutcome, EligibilityStatus } from '../../eligibility/evaluation';
import type { EligibilityResultView } from '../../eligibility/eligibility.service';
import type { ActivityEntryEntity } from '../../positive-lists/activity-entry.entity';
import {
  EligibilityForm,
  EligibilityOutcome,
  FormProblem,
  parameterNameId,
  parameterValueId,
} from '../eligibility-question';
import { describeBaseline, describeCriterion, formatNumber } from './describe';
import { Layout } from './layout';
import { PageContext, href } from './page-context';

/** Empty parameter rows the form always offers below those already given. */
const EMPTY_ROWS = 4;

/** The badge colour of a status: green for yes, red for no, amber for "not decided". */
export const STATUS_TONE: Record<EligibilityStatus, string> = {
  ELIGIBLE: 'ok',
  NOT_ELIGIBLE: 'no',
  EXCLUDED: 'no',
  INDETERMINATE: 'warn',
  NO_LIST_IN_FORCE: 'warn',
};

const OUTCOME_TONE: Record<CriterionOutcome, string> = { MET: 'ok', UNMET: 'no', MISSING: 'warn' };

type TextField = 'activity' | 'technology' | 'sector' | 'methodology' | 'baselineYear';

/** The form, the problems next to its fields, and the reasoned answer below it. */
export function EligibilityPage(props: {
  ctx: PageContext;
  countries: HostCountryEntity[];
  form: EligibilityForm;
  today: string;
  outcome: EligibilityOutcome;
  receiptHref: string | null;
}) {
  const { ctx, form, outcome } = props;
  const { t } = ctx;
  const problems = outcome.kind === 'problems' ? outcome.problems : [];
  const problemOf = (field: string) => problems.find((p) => p.field === field);
  const described = (field: string) => (problemOf(field) ? `err-${field}` : undefined);
  const invalid = (field: string) => (problemOf(field) ? 'true' : undefined);
  const fieldError = (field: string) => {
    const problem = problemOf(field);
    return problem ? (
      <p class="field-error" id={`err-${field}`}>
        {problem.message}
      </p>
    ) : null;
  };
  const text = (field: TextField, label: string, type: 'text' | 'number' = 'text') => (
    <div>
      <label for={field}>{label}</label>
      <input
        id={field}
        name={field}
        type={type}
        value={form[field]}
        aria-invalid={invalid(field)}
        aria-describedby={described(field)}
      />
      {fieldError(field)}
    </div>
  );
  const rows = [...form.parameters, ...Array.from({ length: EMPTY_ROWS }, () => null)];
  return (
    <Layout ctx={ctx} title={t('eligibility:title')} section="eligibility">
      <p>{t('eligibility:intro')}</p>
      {problems.length > 0 ? <ProblemSummary ctx={ctx} problems={problems} /> : null}
      <form method="get" action="/eligibility" aria-labelledby="question">
        <h2 id="question">{t('eligibility:question')}</h2>
        <div class="fields">
          <div>
            <label for="country">{t('eligibility:country')}</label>
            <select
              id="country"
              name="country"
              aria-invalid={invalid('country')}
              aria-describedby={described('country')}
            >
              <option value="">{t('eligibility:chooseCountry')}</option>
              {props.countries.map((c) => (
                <option key={c.code} value={c.code} selected={c.code === form.country}>
                  {c.name}
                </option>
              ))}
            </select>
            {fieldError('country')}
          </div>
          <div>
            <label for="on">{t('eligibility:on')}</label>
            <input
              id="on"
              name="on"
              // A date the browser cannot hold comes back as typed, beside its problem.
              type={problemOf('on') ? 'text' : 'date'}
              value={form.on || props.today}
              aria-invalid={invalid('on')}
              aria-describedby={described('on')}
            />
            {fieldError('on')}
          </div>
        </div>
        <p class="muted" id="activity-hint">
          {t('eligibility:activityHint')}
        </p>
        <div class="fields">
          {text('activity', t('eligibility:activityKey'))}
          {text('technology', t('eligibility:technology'))}
          {text('sector', t('eligibility:sectorCode'))}
          {text('methodology', t('eligibility:methodology'))}
          {text('baselineYear', t('eligibility:baselineYear'))}
        </div>
        <fieldset>
          <legend>{t('eligibility:parameters')}</legend>
          <p class="muted">{t('eligibility:parametersHint')}</p>
          <table class="params">
            <thead>
              <tr>
                <th scope="col">{t('eligibility:parameterName')}</th>
                <th scope="col">{t('eligibility:parameterValue')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  <td>
                    <input
                      id={parameterNameId(i)}
                      name="pn"
                      value={row?.name ?? ''}
                      aria-label={t('eligibility:parameterNameRow', { n: i + 1 })}
                      aria-invalid={invalid(parameterNameId(i))}
                      aria-describedby={described(parameterNameId(i))}
                    />
                    {fieldError(parameterNameId(i))}
                  </td>
                  <td>
                    <input
                      id={parameterValueId(i)}
                      name="pv"
                      value={row?.value ?? ''}
                      aria-label={t('eligibility:parameterValueRow', { n: i + 1 })}
                      aria-invalid={invalid(parameterValueId(i))}
                      aria-describedby={described(parameterValueId(i))}
                    />
                    {fieldError(parameterValueId(i))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        {ctx.langInUrl ? <input type="hidden" name="lang" value={ctx.lang} /> : null}
        <button type="submit">{t('eligibility:submit')}</button>
      </form>
      {outcome.kind === 'answer' ? (
        <Answer ctx={ctx} result={outcome.result} today={props.today} receipt={props.receiptHref} />
      ) : null}
    </Layout>
  );
}

/** Every problem at the top of the form, each a link to its field. */
function ProblemSummary({ ctx, problems }: { ctx: PageContext; problems: FormProblem[] }) {
  return (
    <div class="notice problems" role="alert">
      <p>
        <strong>{ctx.t('eligibility:problems')}</strong>
      </p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>{p.field ? <a href={`#${p.field}`}>{p.message}</a> : p.message}</li>
        ))}
      </ul>
    </div>
  );
}

function Answer(props: {
  ctx: PageContext;
  result: EligibilityResultView;
  today: string;
  receipt: string | null;
}) {
  const { ctx, result } = props;
  const { t } = ctx;
  const version = result.listVersion;
  const on = result.on === props.today ? undefined : result.on;
  return (
    <section class="answer" aria-labelledby="answer">
      <h2 id="answer">{t('eligibility:answer')}</h2>
      <p>
        {t('eligibility:overall')}:{' '}
        <strong class={`badge status ${STATUS_TONE[result.status]}`}>
          {t(`eligibility:status.${result.status}`)}
        </strong>
      </p>
      <p>
        {version ? (
          <a href={href(ctx, `/countries/${result.hostCountry}`, { on })}>
            {t('eligibility:versionUsed', {
              country: result.hostCountry,
              version: version.version,
              date: result.on,
            })}
          </a>
        ) : (
          t('eligibility:noVersion', { country: result.hostCountry, date: result.on })
        )}
      </p>
      <p>
        <strong>{t('eligibility:explanation')}:</strong>{' '}
        <span lang="en" class="explanation">
          {result.explanation}
        </span>
      </p>
      {props.receipt ? (
        <p>
          <a href={props.receipt} download>
            {t('eligibility:receipt')}
          </a>{' '}
          <span class="muted">{t('eligibility:receiptHelp')}</span>
        </p>
      ) : null}
      {version ? (
        <>
          <h3>{t('eligibility:matches')}</h3>
          {result.matches.length === 0 ? <p>{t('eligibility:noMatches')}</p> : null}
          {result.matches.map((m) => (
            <Match
              key={m.entry.id}
              ctx={ctx}
              match={m}
              country={result.hostCountry}
              on={on}
              baselineYear={result.query.baselineYear ?? null}
            />
          ))}
        </>
      ) : null}
    </section>
  );
}

/** One matching entry: its status, each criterion with the reader's value, the baseline. */
function Match(props: {
  ctx: PageContext;
  match: EntryAnswer<ActivityEntryEntity>;
  country: string;
  on: string | undefined;
  baselineYear: number | null;
}) {
  const { ctx, match, country } = props;
  const { t } = ctx;
  const { entry } = match;
  return (
    <article class="entry match">
      <h4>
        <a
          href={href(ctx, `/countries/${country}/entries/${encodeURIComponent(entry.key)}`, {
            on: props.on,
          })}
        >
          {entry.name}
        </a>{' '}
        <span class="muted">{entry.key}</span>{' '}
        <span class={`badge ${STATUS_TONE[match.status]}`}>
          {t(`eligibility:status.${match.status}`)}
        </span>
      </h4>
      {match.criteria.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('eligibility:criterion')}</th>
              <th scope="col">{t('eligibility:outcome')}</th>
              <th scope="col">{t('eligibility:actual')}</th>
            </tr>
          </thead>
          <tbody>
            {match.criteria.map((c, i) => (
              <tr key={i} class={`outcome-${c.outcome}`}>
                <td>{describeCriterion(ctx, c.criterion)}</td>
                <td>
                  <span class={`badge ${OUTCOME_TONE[c.outcome]}`}>
                    {t(`eligibility:outcomes.${c.outcome}`)}
                  </span>
                </td>
                <td>{c.actual ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('eligibility:noCriteria')}</p>
      )}
      {match.missingParameters.length ? (
        <p class="missing">
          <strong>{t('eligibility:missing')}:</strong> {match.missingParameters.join(', ')}
        </p>
      ) : null}
      {match.baselineValue !== null && entry.baseline ? (
        <p class="baseline-value">
          <strong>{t('eligibility:baselineIn', { year: props.baselineYear })}:</strong>{' '}
          {`${formatNumber(ctx, match.baselineValue)} ${entry.baseline.unit}`}
        </p>
      ) : null}
      {entry.baseline ? (
        <p>
          <strong>{t('eligibility:baselineRule')}:</strong> {describeBaseline(ctx, entry.baseline)}
        </p>
      ) : null}
      <p class="muted" lang="en">
        {match.explanation}
      </p>
    </article>
  );
}
