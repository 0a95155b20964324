import type { ComponentChildren } from 'preact';
import type { HostCountryEntity } from '../../countries/host-country.entity';
import type { NdcSectorEntity } from '../../countries/ndc-sector.entity';
import {
  AuthorizedUse,
  BaselineApproach,
  BaselineRule,
  ComparisonOperator,
  EntryKind,
  NdcComponent,
  ParameterValidation,
} from '../../positive-lists/list-types';
import { ENTRY_FORM_SCRIPT_URL } from '../../portal/assets';
import { BaselineChartFigure } from '../../portal/views/baseline-chart';
import { PageContext, href } from '../../portal/views/page-context';
import type { ConsoleSession } from '../console-access';
import {
  CriterionRow,
  EntryFormValues,
  FieldChange,
  SPARE_CRITERION_ROWS,
  approachFields,
  approachesTaking,
  emptyCriterion,
  fieldId,
  flatten,
} from '../entry-form';
import { ConsoleLayout, CsrfField } from './console-layout';
import { consoleVersionPath } from './versions';

/** A problem the API found, by the form field it is about (undefined: the whole form). */
export interface FormProblem {
  field: string | undefined;
  message: string;
}

/** Everything the entry page shows besides the values. */
export interface EntryFormState {
  values: EntryFormValues;
  problems: FormProblem[];
  /** Set when editing: the entry's id and the revision the form starts from. */
  editing?: { entryId: string; key: string; revision: number; started: string };
  /** After a CONFLICT: what someone else changed since the form was opened. */
  conflict?: FieldChange[];
  /** After "preview": the rule to draw, or null when the form gives none that can be drawn. */
  preview?: BaselineRule | null;
  /** Extra empty criterion rows asked for with "add a criterion row". */
  extraRows: number;
}

export const entriesPath = (country: string, version: number): string =>
  `${consoleVersionPath(country, version)}/entries`;

/** The form to add or edit one entry of a draft; works without JavaScript. */
export function EntryFormPage({
  ctx,
  session,
  country,
  version,
  listVersionId,
  sectors,
  state,
}: {
  ctx: PageContext;
  session: ConsoleSession;
  country: HostCountryEntity;
  version: number;
  listVersionId: string;
  sectors: NdcSectorEntity[];
  state: EntryFormState;
}) {
  const { t } = ctx;
  const { values, problems, editing } = state;
  const problemsOf = (name: string) => problems.filter((p) => p.field === name);
  const field = (name: string) => {
    const found = problemsOf(name);
    const id = fieldId(name);
    return {
      id,
      name,
      invalid: found.length > 0 ? ('true' as const) : undefined,
      describedBy: found.length > 0 ? `${id}-error` : undefined,
      errors:
        found.length > 0 ? (
          <p id={`${id}-error`} class="field-error">
            {found.map((p) => p.message).join(' ')}
          </p>
        ) : null,
    };
  };
  const action = editing
    ? `${entriesPath(country.code, version)}/${editing.key}/edit`
    : `${entriesPath(country.code, version)}/new`;

  const Text = (props: {
    name: string;
    label: string;
    value: string;
    hint?: string;
    required?: boolean;
    type?: string;
    area?: boolean;
    inputMode?: 'decimal' | 'numeric';
  }) => {
    const f = field(props.name);
    const hintId = props.hint ? `${f.id}-hint` : undefined;
    const describedBy = [hintId, f.describedBy].filter(Boolean).join(' ') || undefined;
    return (
      <div>
        <label for={f.id}>
          {props.label}
          {props.required ? <span class="muted"> ({t('entryForm:required')})</span> : null}
        </label>
        {props.area ? (
          <textarea
            id={f.id}
            name={f.name}
            rows={3}
            aria-invalid={f.invalid}
            aria-describedby={describedBy}
          >
            {props.value}
          </textarea>
        ) : (
          <input
            id={f.id}
            name={f.name}
            type={props.type ?? 'text'}
            inputMode={props.inputMode}
            value={props.value}
            aria-invalid={f.invalid}
            aria-describedby={describedBy}
          />
        )}
        {f.errors}
        {props.hint ? (
          <p id={hintId} class="muted">
            {props.hint}
          </p>
        ) : null}
      </div>
    );
  };
  const Select = (props: {
    name: string;
    label: string;
    value: string;
    options: [string, string][];
  }) => {
    const f = field(props.name);
    return (
      <div>
        <label for={f.id}>{props.label}</label>
        <select id={f.id} name={f.name} aria-invalid={f.invalid} aria-describedby={f.describedBy}>
          {props.options.map(([value, label]) => (
            <option key={value} value={value} selected={value === props.value}>
              {label}
            </option>
          ))}
        </select>
        {f.errors}
      </div>
    );
  };
  const Group = (props: { legend: string; name: string; children: ComponentChildren }) => {
    const f = field(props.name);
    return (
      <fieldset aria-describedby={f.describedBy}>
        <legend>{props.legend}</legend>
        {props.children}
        {f.errors}
      </fieldset>
    );
  };

  const rows: CriterionRow[] = [
    ...values.criteria,
    ...Array.from({ length: SPARE_CRITERION_ROWS + state.extraRows }, emptyCriterion),
  ];
  const b = values.baseline;
  const specific = approachFields(b.approach);
  const baselineField = (name: keyof typeof b, label: string, decimal = true) => (
    <Text
      name={`baseline.${name}`}
      label={label}
      value={b[name]}
      inputMode={decimal ? 'decimal' : 'numeric'}
    />
  );
  // Every approach-specific field is on the page, hidden unless the chosen approach takes
  // it, so that the enhancement script can show it at once; hidden ones are never sent on.
  const approachOnly = (name: keyof typeof b, label: string, decimal = true) => (
    <div data-approaches={approachesTaking(name).join(' ')} hidden={!specific.includes(name)}>
      {baselineField(name, label, decimal)}
    </div>
  );
  const criteriaFields = rows.map((row, i) => {
    const at = (f: keyof CriterionRow) => `criteria[${i}].${f}`;
    return (
      <fieldset key={i} class="criterion">
        <legend>{t('entryForm:criterion', { n: i + 1 })}</legend>
        <div class="row">
          <Text name={at('parameter')} label={t('entryForm:parameter')} value={row.parameter} />
          <Select
            name={at('operator')}
            label={t('entryForm:operator')}
            value={row.operator}
            options={[
              ['', t('entryForm:chooseOperator')],
              ...Object.values(ComparisonOperator).map((op): [string, string] => [
                op,
                t(`entryForm:op.${op}`),
              ]),
            ]}
          />
          <Text
            name={at('threshold')}
            label={t('entryForm:threshold')}
            value={row.threshold}
            inputMode="decimal"
          />
          <Text
            name={at('upperThreshold')}
            label={t('entryForm:upperThreshold')}
            value={row.upperThreshold}
            inputMode="decimal"
          />
          <Text name={at('values')} label={t('entryForm:values')} value={row.values} />
          <Text name={at('unit')} label={t('entryForm:unit')} value={row.unit} />
        </div>
        <Text
          name={at('description')}
          label={t('entryForm:criterionDescription')}
          value={row.description}
        />
      </fieldset>
    );
  });

  const body = (
    <>
      <CsrfField token={session.csrfToken} />
      <input type="hidden" name="listVersionId" value={listVersionId} />
      <input type="hidden" name="extraRows" value={String(state.extraRows)} />
      {editing ? (
        <>
          <input type="hidden" name="entryId" value={editing.entryId} />
          <input type="hidden" name="expectedRevision" value={String(editing.revision)} />
          <input type="hidden" name="started" value={editing.started} />
        </>
      ) : null}
      {/* The first submit button is what Enter in a field presses: saving, not a row more. */}
      <button type="submit" name="action" value="save" hidden tabIndex={-1}>
        {t('entryForm:save')}
      </button>
      <fieldset>
        <legend>{t('entryForm:what')}</legend>
        <Text
          name="key"
          label={t('entryForm:key')}
          value={values.key}
          hint={t('entryForm:keyHint')}
          required
        />
        <Select
          name="kind"
          label={t('entryForm:kind')}
          value={values.kind}
          options={Object.values(EntryKind).map((k): [string, string] => [k, t(`kind.${k}`)])}
        />
        <Text name="name" label={t('entryForm:name')} value={values.name} required />
        <Text
          name="description"
          label={t('entryForm:description')}
          value={values.description}
          area
        />
        <Text
          name="technologies"
          label={t('entryForm:technologies')}
          value={values.technologies}
          hint={t('entryForm:listHint')}
          area
        />
        <Text
          name="methodologies"
          label={t('entryForm:methodologies')}
          value={values.methodologies}
          hint={t('entryForm:listHint')}
          area
        />
      </fieldset>
      <Group legend={t('entryForm:sectors')} name="sectorCodes">
        {sectors.length === 0 ? (
          <p>{t('entryForm:noSectors', { name: country.name })}</p>
        ) : (
          sectors.map((s) => (
            <label key={s.code} class="choice">
              <input
                type="checkbox"
                name="sectorCodes"
                value={s.code}
                checked={values.sectorCodes.includes(s.code)}
              />{' '}
              {s.code}: {s.name}
            </label>
          ))
        )}
      </Group>
      <fieldset>
        <legend>{t('entryForm:ndcComponent')}</legend>
        <Select
          name="ndcComponent"
          label={t('entryForm:ndcComponent')}
          value={values.ndcComponent}
          options={Object.values(NdcComponent).map((c): [string, string] => [
            c,
            t(`entry:component.${c}`),
          ])}
        />
        <Text
          name="ndcMeasureRef"
          label={t('entryForm:ndcMeasureRef')}
          value={values.ndcMeasureRef}
        />
        <Text
          name="additionalityRationale"
          label={t('entryForm:additionality')}
          value={values.additionalityRationale}
          area
        />
      </fieldset>
      <Group legend={t('entryForm:criteria')} name="criteria">
        <p class="muted">{t('entryForm:criteriaHint')}</p>
        {criteriaFields}
        <button type="submit" name="action" value="addCriterion" class="secondary">
          {t('entryForm:addCriterion')}
        </button>
      </Group>
      <Group legend={t('entryForm:baseline')} name="baseline">
        <p class="muted">{t('entryForm:baselineHint')}</p>
        <Select
          name="baseline.approach"
          label={t('entryForm:approach')}
          value={b.approach}
          options={[
            ['', t('entryForm:noBaseline')],
            ...Object.values(BaselineApproach).map((a): [string, string] => [
              a,
              t(`lists:approach.${a}`),
            ]),
          ]}
        />
        <button type="submit" name="action" value="approach" class="secondary">
          {t('entryForm:showApproach')}
        </button>
        <div id="approach-fields" hidden={b.approach === ''}>
          <div class="row">
            {baselineField('referenceValue', t('entryForm:referenceValue'))}
            <Text name="baseline.unit" label={t('entryForm:unit')} value={b.unit} />
            {baselineField('referenceYear', t('entryForm:referenceYear'), false)}
          </div>
          <div class="row">
            {approachOnly('initialAdjustmentPct', t('entryForm:initialAdjustmentPct'))}
            {approachOnly('annualTighteningPct', t('entryForm:annualTighteningPct'))}
            {approachOnly('targetValue', t('entryForm:targetValue'))}
            {approachOnly('targetYear', t('entryForm:targetYear'), false)}
            {approachOnly('netZeroYear', t('entryForm:netZeroYear'), false)}
          </div>
          <div class="row">
            <Select
              name="baseline.parameterValidation"
              label={t('entryForm:parameterValidation')}
              value={b.parameterValidation}
              options={Object.values(ParameterValidation).map((v): [string, string] => [
                v,
                t(`entry:validation.${v}`),
              ])}
            />
            {baselineField('updateIntervalYears', t('entryForm:updateIntervalYears'), false)}
          </div>
          <Text
            name="baseline.methodologyReference"
            label={t('entryForm:methodologyReference')}
            value={b.methodologyReference}
          />
          <Text
            name="baseline.description"
            label={t('entryForm:baselineDescription')}
            value={b.description}
            area
          />
          <button type="submit" name="action" value="preview" class="secondary">
            {t('entryForm:preview')}
          </button>
        </div>
        {state.preview === undefined ? null : (
          <section aria-labelledby="preview-title" class="preview">
            <h3 id="preview-title">{t('entryForm:previewTitle')}</h3>
            {state.preview ? (
              <BaselineChartFigure ctx={ctx} rule={state.preview} />
            ) : (
              <p>{t('entryForm:previewNone')}</p>
            )}
          </section>
        )}
      </Group>
      <Group legend={t('entryForm:crediting')} name="crediting">
        <div class="row">
          <Text
            name="crediting.periodYears"
            label={t('entryForm:periodYears')}
            value={values.crediting.periodYears}
            inputMode="numeric"
          />
          <Text
            name="crediting.renewals"
            label={t('entryForm:renewals')}
            value={values.crediting.renewals}
            inputMode="numeric"
          />
        </div>
      </Group>
      <Group legend={t('entryForm:authorization')} name="authorization">
        <Group legend={t('entryForm:authorizedUses')} name="authorization.authorizedUses">
          {Object.values(AuthorizedUse).map((use) => (
            <label key={use} class="choice">
              <input
                type="checkbox"
                name="authorization.authorizedUses"
                value={use}
                checked={values.authorization.authorizedUses.includes(use)}
              />{' '}
              {t(`entry:use.${use}`)}
            </label>
          ))}
        </Group>
        <Select
          name="authorization.correspondingAdjustment"
          label={t('entryForm:correspondingAdjustment')}
          value={values.authorization.correspondingAdjustment}
          options={[
            ['', t('entryForm:notSaid')],
            ['yes', t('entryForm:yes')],
            ['no', t('entryForm:no')],
          ]}
        />
        <div class="row">
          <Text
            name="authorization.shareRetainedForNdcPct"
            label={t('entryForm:shareRetainedForNdcPct')}
            value={values.authorization.shareRetainedForNdcPct}
            inputMode="decimal"
          />
          <Text
            name="authorization.shareOfProceedsPct"
            label={t('entryForm:shareOfProceedsPct')}
            value={values.authorization.shareOfProceedsPct}
            inputMode="decimal"
          />
          <Text
            name="authorization.omgeCancellationPct"
            label={t('entryForm:omgeCancellationPct')}
            value={values.authorization.omgeCancellationPct}
            inputMode="decimal"
          />
        </div>
      </Group>
      <fieldset>
        <legend>{t('entryForm:validity')}</legend>
        <div class="row">
          <Text
            name="validFrom"
            label={t('entryForm:validFrom')}
            value={values.validFrom}
            hint={t('entryForm:dateHint')}
          />
          <Text
            name="validUntil"
            label={t('entryForm:validUntil')}
            value={values.validUntil}
            hint={t('entryForm:dateHint')}
          />
          <Text
            name="reviewDue"
            label={t('entryForm:reviewDue')}
            value={values.reviewDue}
            hint={t('entryForm:dateHint')}
          />
        </div>
        <Text name="legalBasis" label={t('entryForm:legalBasis')} value={values.legalBasis} area />
      </fieldset>
      <Text
        name="reason"
        label={t('entryForm:reason')}
        value={values.reason}
        hint={t('entryForm:reasonHint')}
        area
        required
      />
      <button type="submit" name="action" value="save">
        {t('entryForm:save')}
      </button>
    </>
  );
  // Problems about no field the page shows are listed at the top rather than lost.
  const shownFields = new Set([
    ...flatten({ ...values, criteria: rows }).keys(),
    'sectorCodes',
    'criteria',
    'baseline',
    'crediting',
    'authorization',
    'reason',
  ]);
  const general = problems.filter((p) => !p.field || !shownFields.has(p.field));
  const title = editing
    ? t('entryForm:editTitle', { key: editing.key, version, name: country.name })
    : t('entryForm:newTitle', { version, name: country.name });
  return (
    <ConsoleLayout ctx={ctx} title={title} session={session} section="versions">
      <p>
        <a href={href(ctx, consoleVersionPath(country.code, version))}>
          {t('entryForm:backToVersion', { version })}
        </a>
      </p>
      {state.conflict ? <ConflictNotice ctx={ctx} changes={state.conflict} /> : null}
      {problems.length > 0 ? (
        <div class="notice" role="alert">
          <p>{t('entryForm:notSaved')}</p>
          {general.length > 0 ? (
            <ul>
              {general.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <p class="muted">{t('entryForm:intro')}</p>
      <form class="stack entry-form" method="post" action={href(ctx, action)}>
        {body}
      </form>
      <script src={ENTRY_FORM_SCRIPT_URL} defer />
      {editing ? (
        <section aria-labelledby="remove-entry">
          <h2 id="remove-entry">{t('entryForm:remove')}</h2>
          <form
            class="stack"
            method="post"
            action={href(ctx, `${entriesPath(country.code, version)}/${editing.key}/remove`)}
          >
            <p class="muted">{t('entryForm:removeHint')}</p>
            <CsrfField token={session.csrfToken} />
            <input type="hidden" name="entryId" value={editing.entryId} />
            <div>
              <label for="remove-reason">{t('entryForm:removeReason')}</label>
              <textarea id="remove-reason" name="reason" rows={2} required />
            </div>
            <button type="submit">{t('entryForm:removeButton')}</button>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

/** The words of the form's label for a field path (`criteria[1].threshold`). */
function fieldLabel(ctx: PageContext, path: string): string {
  const { t } = ctx;
  const row = /^criteria\[(\d+)\]\.(\w+)$/.exec(path);
  if (row) {
    const name = row[2] === 'description' ? 'criterionDescription' : row[2];
    return `${t('entryForm:criterion', { n: Number(row[1]) + 1 })}: ${label(name)}`;
  }
  const [section, name] = path.split('.');
  if (name === undefined) {
    const top: Record<string, string> = {
      sectorCodes: 'sectors',
      additionalityRationale: 'additionality',
    };
    return label(top[section] ?? section);
  }
  const within = section === 'baseline' && name === 'description' ? 'baselineDescription' : name;
  return `${label(section)}: ${label(within)}`;

  function label(key: string): string {
    const words = t(`entryForm:${key}` as 'entryForm:name', { defaultValue: '' });
    return typeof words === 'string' && words !== '' ? words : key;
  }
}

function ConflictNotice({ ctx, changes }: { ctx: PageContext; changes: FieldChange[] }) {
  const { t } = ctx;
  const shown = (v: string) => (v === '' ? t('entryForm:empty') : v);
  return (
    <section class="notice" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('entryForm:conflictTitle')}</h2>
      <p>{t('entryForm:conflictText')}</p>
      <table class="conflict">
        <thead>
          <tr>
            <th scope="col">{t('entryForm:field')}</th>
            <th scope="col">{t('entryForm:whenYouStarted')}</th>
            <th scope="col">{t('entryForm:theirs')}</th>
            <th scope="col">{t('entryForm:yours')}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.field}>
              <th scope="row">{fieldLabel(ctx, c.field)}</th>
              <td>{shown(c.started)}</td>
              <td>{shown(c.now)}</td>
              <td>{shown(c.yours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
