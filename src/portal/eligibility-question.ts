import { Inject, Injectable } from '@nestjs/common';
import { CheckpointsService } from '../audit/checkpoints.service';
import { SignedStatement } from '../audit/statement';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import {
  EligibilityQueryInput,
  EligibilityResultView,
  EligibilityService,
} from '../eligibility/eligibility.service';
import { receiptContent } from '../eligibility/receipt';
import type { Translate } from './i18n';

/**
 * The eligibility question as the form holds it: every field as typed, so that a question
 * that cannot be answered comes back to the reader as they wrote it.
 *
 * URL scheme (an answer is a plain GET, so it has an address to share):
 *   country, activity, technology, sector, methodology, on (YYYY-MM-DD, default today),
 *   baselineYear, and project parameters either as the form sends them, repeated `pn` (name)
 *   and `pv` (value) paired in order, or written by hand as `p.<name>=<value>`, e.g.
 *   `/eligibility?country=GHA&technology=solar+PV&p.capacityMW=20`.
 * A value that parses as a finite number is sent as a `number` parameter, anything else as
 * `text`. The URL carries a question when it has `country` (the form always sends it).
 */
export interface EligibilityForm {
  country: string;
  activity: string;
  technology: string;
  sector: string;
  methodology: string;
  on: string;
  baselineYear: string;
  parameters: { name: string; value: string }[];
}

/** A problem shown next to one field of the form (its input's id), in the reader's words. */
export interface FormProblem {
  field: string | null;
  message: string;
}

export type EligibilityOutcome =
  | { kind: 'none' }
  | { kind: 'problems'; problems: FormProblem[] }
  | { kind: 'answer'; result: EligibilityResultView };

/** The input id of parameter row `i`'s name and value. */
export const parameterNameId = (i: number) => `pn-${i}`;
export const parameterValueId = (i: number) => `pv-${i}`;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** What the form read from a URL's query. */
export function readForm(query: URLSearchParams): { asked: boolean; form: EligibilityForm } {
  const one = (name: string) => query.get(name)?.trim() ?? '';
  const names = query.getAll('pn');
  const values = query.getAll('pv');
  const rows = Array.from({ length: Math.max(names.length, values.length) }, (_, i) => ({
    name: names[i]?.trim() ?? '',
    value: values[i]?.trim() ?? '',
  }));
  for (const [key, value] of query) {
    if (key.startsWith('p.') && key.length > 2) rows.push({ name: key.slice(2), value });
  }
  return {
    asked: query.has('country'),
    form: {
      country: one('country').toUpperCase(),
      activity: one('activity'),
      technology: one('technology'),
      sector: one('sector'),
      methodology: one('methodology'),
      on: one('on'),
      baselineYear: one('baselineYear'),
      parameters: rows.filter((r) => r.name !== '' || r.value !== ''),
    },
  };
}

/**
 * Asks the question the form holds through EligibilityService.check, the same path as the
 * checkEligibility query, and turns the service's field errors into problems next to the
 * form's fields: an input mistake is the reader's to correct, not an error page.
 */
@Injectable()
export class EligibilityQuestions {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly checkpoints: CheckpointsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ask(form: EligibilityForm, t: Translate): Promise<EligibilityOutcome> {
    const problems: FormProblem[] = [];
    // Which form row each parameter sent came from, to put the service's problems back.
    const rowOf: number[] = [];
    const parameters: NonNullable<EligibilityQueryInput['parameters']> = [];
    form.parameters.forEach((row, i) => {
      if (row.name === '') {
        problems.push({
          field: parameterNameId(i),
          message: t('eligibility:problem.parameterName'),
        });
      } else if (row.value === '') {
        problems.push({
          field: parameterValueId(i),
          message: t('eligibility:problem.parameterValue'),
        });
      } else {
        rowOf.push(i);
        const number = NUMBER.test(row.value) ? Number(row.value) : NaN;
        parameters.push(
          Number.isFinite(number)
            ? { name: row.name, number }
            : { name: row.name, text: row.value },
        );
      }
    });
    if (form.baselineYear !== '' && !/^\d{1,4}$/.test(form.baselineYear)) {
      problems.push({ field: 'baselineYear', message: t('eligibility:problem.baselineYear') });
    }
    if (problems.length > 0) return { kind: 'problems', problems };
    try {
      const result = await this.eligibility.check(this.query(form, parameters));
      return { kind: 'answer', result };
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
      return {
        kind: 'problems',
        problems: (error.fields ?? [{ field: '', message: error.message }]).map((p) =>
          this.problem(p.field, p.message, rowOf, t),
        ),
      };
    }
  }

  /** True when this instance can sign receipts (it holds the audit signing key). */
  get signsReceipts(): boolean {
    return this.checkpoints.publicKey !== undefined;
  }

  /** The signed receipt of an answer, exactly as the GraphQL `receipt` field gives it. */
  async receipt(result: EligibilityResultView): Promise<SignedStatement | null> {
    const latest = await this.checkpoints.latestCited();
    return (
      this.checkpoints.signStatement(
        receiptContent(this.config.audit.origin, this.clock.now(), result, latest),
      ) ?? null
    );
  }

  private query(
    form: EligibilityForm,
    parameters: NonNullable<EligibilityQueryInput['parameters']>,
  ): EligibilityQueryInput {
    const optional = (value: string) => (value === '' ? null : value);
    return {
      hostCountry: form.country,
      activityKey: optional(form.activity),
      technology: optional(form.technology),
      sectorCode: optional(form.sector),
      methodology: optional(form.methodology),
      on: optional(form.on),
      parameters,
      baselineYear: form.baselineYear === '' ? null : Number(form.baselineYear),
    };
  }

  /** A service field path (`query.on`, `query.parameters[2].name`) as a form field. */
  private problem(field: string, message: string, rowOf: number[], t: Translate): FormProblem {
    const parameter = /^query\.parameters\[(-?\d+)\](\.(\w+))?$/.exec(field);
    if (parameter) {
      const row = rowOf[Number(parameter[1])];
      if (row === undefined) return { field: null, message };
      // Empty names never reach the service, so a problem with a name is a repeated one.
      if (parameter[3] === 'name') {
        return { field: parameterNameId(row), message: t('eligibility:problem.parameterTwice') };
      }
      return { field: parameterValueId(row), message: t('eligibility:problem.parameterKind') };
    }
    switch (field) {
      case 'query.on':
        return { field: 'on', message: t('eligibility:problem.on') };
      case 'query.hostCountry':
        return { field: 'country', message: t('eligibility:problem.hostCountry') };
      case 'query.activityKey':
        return { field: 'activity', message: t('eligibility:problem.activityKey') };
      case 'query.baselineYear':
        return { field: 'baselineYear', message: t('eligibility:problem.baselineYear') };
      default:
        return { field: null, message };
    }
  }
}
