import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { Readable } from 'node:stream';
import { DomainError, badInput } from '../common/errors';
import { describeUnmet } from '../eligibility/eligibility';
import {
  EligibilityQueryInput,
  EligibilityResultView,
  EligibilityService,
  MAX_BATCH,
} from '../eligibility/eligibility.service';
import { CriterionOutcome } from '../eligibility/evaluation';
import { escapeText, unescapeText } from './entry-columns';

/** Rows per file: enough for any portfolio, bounded so one request cannot run for ever. */
export const PORTFOLIO_MAX_ROWS = 100_000;

/** Columns that ask the question; every other column is a project parameter. */
const QUESTION_COLUMNS = [
  'project',
  'hostCountry',
  'activityKey',
  'technology',
  'sectorCode',
  'methodology',
  'on',
  'baselineYear',
];

/** What comes back, one row per project row, in its order. */
export const PORTFOLIO_RESULT_COLUMNS = [
  'row',
  'project',
  'hostCountry',
  'on',
  'status',
  'listVersion',
  'entries',
  'unmetCriteria',
  'missingParameters',
  'baselineValue',
  'explanation',
];

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const PARAMETER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const BOM = '\uFEFF';

const line = (cells: (string | number | null)[]) =>
  stringify([cells.map((c) => (c === null ? '' : typeof c === 'string' ? escapeText(c) : c))]);

/** The answer row of a project the registry could not answer, with the reason. */
const errorLine = (
  row: number,
  message: string,
  project: { project?: string; hostCountry?: string; on?: string | null } = {},
) =>
  line([
    row,
    project.project ?? null,
    project.hostCountry ?? null,
    project.on ?? null,
    'ERROR',
    null,
    null,
    null,
    null,
    null,
    message,
  ]);

interface ProjectRow {
  row: number;
  project: string;
  query: EligibilityQueryInput;
  /** A cell that cannot be asked about (a year that is not a number, bytes that are not UTF-8). */
  problem?: string;
}

function projectRow(header: string[], record: string[], row: number): ProjectRow {
  const cells = new Map(header.map((name, i) => [name, unescapeText((record[i] ?? '').trim())]));
  const cell = (name: string) => cells.get(name) || null;
  const year = cell('baselineYear');
  const parameters = header
    .filter((name) => !QUESTION_COLUMNS.includes(name) && cell(name) !== null)
    .map((name) => {
      const value = cell(name)!;
      // A cell that reads as a number is one; any other is text (IN/NOT_IN/EQ criteria).
      return NUMBER.test(value) ? { name, number: Number(value) } : { name, text: value };
    });
  const parsed: ProjectRow = {
    row,
    project: cell('project') ?? '',
    query: {
      hostCountry: cell('hostCountry') ?? '',
      activityKey: cell('activityKey'),
      technology: cell('technology'),
      sectorCode: cell('sectorCode'),
      methodology: cell('methodology'),
      on: cell('on'),
      baselineYear: year !== null && /^\d{4}$/.test(year) ? Number(year) : null,
      parameters,
    },
  };
  if (year !== null && !/^\d{4}$/.test(year))
    parsed.problem = `baselineYear: must be a year such as 2030, not "${year}"`;
  if (record.some((c) => c.includes('\uFFFD')))
    parsed.problem = 'the row holds bytes that are not UTF-8: save the file as CSV UTF-8';
  return parsed;
}

function resultLine(project: ProjectRow, answer: EligibilityResultView | DomainError): string {
  const { row, query } = project;
  if (answer instanceof DomainError) {
    const message = answer.message.replace(/^query\./, '');
    return errorLine(row, message, {
      project: project.project,
      hostCountry: query.hostCountry,
      on: query.on,
    });
  }
  const best = answer.matches.filter((m) => m.status === answer.status);
  const baseline = best.find((m) => m.baselineValue !== null)?.baselineValue ?? null;
  return line([
    row,
    project.project,
    answer.hostCountry,
    answer.on,
    answer.status,
    answer.listVersion?.version ?? null,
    answer.matches.map((m) => m.entry.key).join('; ') || null,
    answer.matches
      .flatMap((m) =>
        m.criteria
          .filter((c) => c.outcome === CriterionOutcome.UNMET)
          .map((c) => `${m.entry.key}: ${describeUnmet(c)}`),
      )
      .join('; ') || null,
    [...new Set(answer.matches.flatMap((m) => m.missingParameters))].join('; ') || null,
    baseline,
    answer.explanation,
  ]);
}

/**
 * Checks a portfolio of projects from a CSV file (issue #16): one row per project in, one
 * answer per row out, in order, as CSV. Rows are read, answered and written a batch of
 * MAX_BATCH at a time through the same evaluation as `checkEligibilityBatch`, and the next
 * batch is read only when the reader took the last one, so a file of any length runs in
 * flat memory. A row the registry cannot answer (unknown country, bad date) gets ERROR and
 * the reason, and the rest carry on.
 */
@Injectable()
export class PortfolioCheck {
  constructor(private readonly eligibility: EligibilityService) {}

  /**
   * Reads the header (refusing a file that lacks `hostCountry` or is not UTF-8 CSV before
   * anything is answered) and returns the answers as CSV chunks.
   */
  async open(
    source: Readable,
    onProgress?: (rows: number) => void,
  ): Promise<AsyncGenerator<string>> {
    const parser = source.pipe(parse({ relax_column_count: true, bom: true }));
    source.once('error', (error) => parser.destroy(error));
    const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
    let first: IteratorResult<string[]>;
    try {
      first = await records.next();
    } catch (error) {
      throw badInput(`The file is not readable as CSV: ${(error as Error).message}`);
    }
    if (first.done) throw badInput('The file is empty');
    const header = first.value.map((name) => name.trim());
    if (header.some((name) => name.includes('\uFFFD') || name.includes('\u0000')))
      throw badInput('The file is not UTF-8 text: save it as CSV UTF-8');
    if (!header.includes('hostCountry'))
      throw badInput(
        `Missing column: hostCountry (the file has ${header.join(', ') || 'no columns'})`,
      );
    const odd = header.filter((n) => !QUESTION_COLUMNS.includes(n) && !PARAMETER.test(n));
    if (odd.length > 0)
      throw badInput(
        `Columns that are neither a question column (${QUESTION_COLUMNS.join(', ')}) nor a parameter name: ${odd.join(', ')}`,
      );
    return this.answers(header, records, parser, onProgress);
  }

  private async *answers(
    header: string[],
    records: AsyncIterator<string[]>,
    parser: { destroy(): void },
    onProgress?: (rows: number) => void,
  ): AsyncGenerator<string> {
    try {
      yield BOM + line(PORTFOLIO_RESULT_COLUMNS);
      let row = 1;
      let answered = 0;
      let batch: ProjectRow[] = [];
      const flush = async () => {
        const asked = batch.filter((p) => !p.problem);
        const answers = await this.eligibility.answerEach(
          asked.map((p) => p.query),
          () => 'query',
        );
        const byRow = new Map(asked.map((p, i) => [p.row, answers[i]]));
        const out = batch
          .map((p) => resultLine(p, byRow.get(p.row) ?? badInput(p.problem ?? 'not asked')))
          .join('');
        answered += batch.length;
        batch = [];
        onProgress?.(answered);
        return out;
      };
      for (;;) {
        let next: IteratorResult<string[]>;
        try {
          next = await records.next();
        } catch (error) {
          // The answers so far have gone out: say where the file stopped being CSV.
          if (batch.length > 0) yield await flush();
          yield errorLine(
            row + 1,
            `the file is not readable as CSV from here on: ${(error as Error).message}`,
          );
          break;
        }
        if (next.done) break;
        row += 1;
        if (next.value.every((cell) => cell.trim() === '')) continue;
        if (row - 1 > PORTFOLIO_MAX_ROWS) {
          yield errorLine(
            row,
            `at most ${PORTFOLIO_MAX_ROWS} rows per file: the rest were not checked`,
          );
          break;
        }
        batch.push(projectRow(header, next.value, row));
        if (batch.length === MAX_BATCH) yield await flush();
      }
      if (batch.length > 0) yield await flush();
    } finally {
      // A reader that went away stops the reading of the file too.
      parser.destroy();
    }
  }
}
