import { Injectable } from '@nestjs/common';
import { DomainError, FieldProblem, invalid, fieldError } from '../common/errors';
import { isCalendarDate } from '../graphql/scalars';
import { ActivityEntryEntity } from '../positive-lists/activity-entry.entity';
import { PositiveListVersionEntity } from '../positive-lists/positive-list-version.entity';
import { Clock } from '../common/clock';
import { BaselineYearError, LAST_BASELINE_YEAR } from '../positive-lists/baseline';
import { EligibilityAnswer, answerEligibility } from './eligibility';
import { CandidateEntry } from './eligibility';
import { PublishedEntries } from './published-entries';
import { inForceLoader } from '../positive-lists/list.loaders';
import { ListsInForce } from '../positive-lists/lists-in-force';
import { ParameterKindError, ProjectParameter } from './evaluation';

export const MAX_BATCH = 100;
/** Questions of a batch answered between two turns of the event loop. */
const YIELD_EVERY = 25;

export interface EligibilityQueryInput {
  hostCountry: string;
  activityKey?: string | null;
  technology?: string | null;
  sectorCode?: string | null;
  methodology?: string | null;
  on?: string | null;
  parameters?: { name: string; number?: number | null; text?: string | null }[] | null;
  baselineYear?: number | null;
}

export interface EligibilityResultView extends EligibilityAnswer<ActivityEntryEntity> {
  hostCountry: string;
  on: string;
  listVersion: PositiveListVersionEntity | null;
  /** The question as asked, for the receipt. */
  query: EligibilityQueryInput;
}

const text = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === '' ? null : value.trim();

/**
 * What eligibility needs of the lists: the version a country has in force on a date and its
 * entries. Undefined when the country is not registered.
 */
export type ListInForceLookup = (
  country: string,
  on: string,
) => Promise<
  | {
      version: PositiveListVersionEntity | null;
      entries: CandidateEntry<ActivityEntryEntity>[];
    }
  | undefined
>;

/**
 * Answers eligibility questions from the version in force. Which version is in force comes
 * from ListsInForce (memory kept current by database notifications, or one statement per date
 * for a whole batch); the entries of published versions, which never change, from a cache
 * shared by requests.
 */
@Injectable()
export class EligibilityService {
  constructor(
    private readonly listsInForce: ListsInForce,
    private readonly publishedEntries: PublishedEntries,
    private readonly clock: Clock,
  ) {}

  /** A lookup for one call: the questions of a batch share its statements. */
  lookup(): ListInForceLookup {
    const inForce = inForceLoader(this.listsInForce);
    return async (country, on) => {
      const found = await inForce.load({ country, on });
      if (!found) return undefined;
      const entries = found.version ? await this.publishedEntries.get(found.version) : [];
      return { version: found.version, entries };
    };
  }

  async check(
    query: EligibilityQueryInput,
    lookup: ListInForceLookup = this.lookup(),
    at = 'query',
  ): Promise<EligibilityResultView> {
    const hostCountry = query.hostCountry.trim().toUpperCase();
    const on = query.on ?? this.clock.today();
    if (!isCalendarDate(on)) throw fieldError(`${at}.on`, 'must be a date as YYYY-MM-DD');
    const parameters = this.parameters(query.parameters ?? [], at);
    const activityKey = text(query.activityKey);
    const technology = text(query.technology);
    const sectorCode = text(query.sectorCode);
    if (!activityKey && !technology && !sectorCode) {
      throw fieldError(
        `${at}.activityKey`,
        'name an activity key, a technology or an NDC sector code',
      );
    }
    if (
      query.baselineYear !== null &&
      query.baselineYear !== undefined &&
      (query.baselineYear < 1900 || query.baselineYear > LAST_BASELINE_YEAR)
    ) {
      throw fieldError(`${at}.baselineYear`, `must be a year from 1900 to ${LAST_BASELINE_YEAR}`);
    }
    // One statement answers both: is the country registered, and which version is in force.
    const country = await lookup(hostCountry, on);
    if (!country) {
      throw fieldError(
        `${at}.hostCountry`,
        `"${query.hostCountry}" is not a registered host country`,
      );
    }
    const version = country.version;
    const candidates = country.entries;
    try {
      const answer = answerEligibility(
        {
          hostCountry,
          activityKey,
          technology,
          sectorCode,
          methodology: text(query.methodology),
          on,
          parameters,
          baselineYear: query.baselineYear ?? null,
        },
        version,
        candidates,
      );
      return { ...answer, hostCountry, on, listVersion: version, query };
    } catch (error) {
      if (error instanceof ParameterKindError) {
        const index = (query.parameters ?? []).findIndex((p) => p.name.trim() === error.parameter);
        throw fieldError(`${at}.parameters[${index}]`, error.message);
      }
      if (error instanceof BaselineYearError) throw fieldError(`${at}.baselineYear`, error.message);
      throw error;
    }
  }

  async checkBatch(queries: EligibilityQueryInput[]): Promise<EligibilityResultView[]> {
    if (queries.length > MAX_BATCH) {
      throw fieldError('queries', `at most ${MAX_BATCH} queries per call, got ${queries.length}`);
    }
    const answers = await this.answerEach(queries, (i) => `queries[${i}]`);
    const refused = answers.find((a): a is DomainError => a instanceof DomainError);
    if (refused) throw refused;
    return answers as EligibilityResultView[];
  }

  /**
   * Answers each question as `checkBatch` does (one lookup shared by all, a pause every
   * YIELD_EVERY questions), giving a question the caller got wrong its error in its place
   * rather than failing the rest: a portfolio's bad row is that row's answer.
   */
  async answerEach(
    queries: EligibilityQueryInput[],
    at: (index: number) => string,
  ): Promise<(EligibilityResultView | DomainError)[]> {
    const lookup = this.lookup();
    const answers: (EligibilityResultView | DomainError)[] = [];
    for (let start = 0; start < queries.length; start += YIELD_EVERY) {
      // Answered from memory, a batch needs no I/O: without a pause now and then it would
      // hold the event loop from its first question to its last, /health included.
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const chunk = queries.slice(start, start + YIELD_EVERY);
      answers.push(
        ...(await Promise.all(
          chunk.map((q, i) =>
            this.check(q, lookup, at(start + i)).catch((error: unknown) => {
              if (error instanceof DomainError) return error;
              throw error;
            }),
          ),
        )),
      );
    }
    return answers;
  }

  private parameters(
    input: { name: string; number?: number | null; text?: string | null }[],
    at: string,
  ): Map<string, ProjectParameter> {
    const problems: FieldProblem[] = [];
    const map = new Map<string, ProjectParameter>();
    input.forEach((p, i) => {
      const field = `${at}.parameters[${i}]`;
      const name = p.name.trim();
      const hasNumber = p.number !== null && p.number !== undefined;
      const hasText = p.text !== null && p.text !== undefined;
      if (name === '') problems.push({ field: `${field}.name`, message: 'must not be empty' });
      else if (map.has(name))
        problems.push({ field: `${field}.name`, message: `parameter ${name} is given twice` });
      if (hasNumber === hasText) {
        problems.push({
          field,
          message: `parameter ${name || i} needs exactly one of number or text`,
        });
      } else if (hasNumber && !Number.isFinite(p.number)) {
        problems.push({ field: `${field}.number`, message: 'must be a finite number' });
      }
      map.set(name, { name, number: hasNumber ? p.number! : null, text: hasText ? p.text! : null });
    });
    if (problems.length > 0) {
      throw invalid('parameters', problems);
    }
    return map;
  }
}
