/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ExportFormat,
  ExportShape,
  csvExport,
  csvTemplate,
  jsonExport,
  xlsxExport,
} from '../bulk/entry-export';
import { EntryFileImport } from '../bulk/entry-file-import';
import { EntryFileFormat, decodeEntryFile } from '../bulk/entry-file';
import { ListExports, PublishedList } from '../bulk/list-exports';
import { PortfolioCheck } from '../bulk/portfolio';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { ImportMode } from '../positive-lists/entry-import.service';
import { ListLoaders } from '../positive-lists/list.loaders';
import { ListStatus } from '../positive-lists/list-types';
import { withDomain } from './open';
import type { CliOptions } from './commands';
import { callerPath } from './caller-path';

const text = (options: CliOptions, name: string): string | undefined =>
  typeof options[name] === 'string' ? options[name] : undefined;

/** Where a command writes: the caller's file, or standard output. */
const output = (options: CliOptions): Writable =>
  text(options, 'out') ? createWriteStream(callerPath(text(options, 'out')!)) : process.stdout;

/** A refusal the person can act on: its message and exit code 1, never a stack. */
async function refusing(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`${error.code}: ${error.message}`);
    return 1;
  }
}

/**
 * `import-entries --country GHA --file list.csv [--dry-run] [--mode upsert] [--format json]`:
 * imports into the country's open draft, as the system (the audit trail says CLI).
 */
export function importEntriesCommand(config: AppConfig, options: CliOptions): Promise<number> {
  const country = text(options, 'country')?.trim().toUpperCase();
  const file = text(options, 'file');
  const mode = text(options, 'mode')?.toUpperCase().replace('-', '_');
  const format = text(options, 'format')?.toUpperCase();
  if (
    !country ||
    !file ||
    (mode && !(mode in ImportMode)) ||
    (format && !(format in EntryFileFormat))
  ) {
    console.error(
      'import-entries needs --country GHA --file FILE [--dry-run] [--mode add-only|upsert] [--format csv|json] [--reason TEXT]',
    );
    return Promise.resolve(2);
  }
  return withDomain(config, (app) =>
    refusing(async () => {
      const versions = await app.get(ListLoaders).of({}).versionsByCountry.load(country);
      const draft = versions.find((v) => v.status === ListStatus.DRAFT);
      if (!draft) {
        console.error(`${country} has no open draft: create one first (createDraft)`);
        return 1;
      }
      const report = await app.get(EntryFileImport).importEntries(
        { principal: null, requestId: `cli-${process.pid}` },
        {
          listVersionId: draft.id,
          content: decodeEntryFile(readFileSync(callerPath(file))),
          format: format as EntryFileFormat | undefined,
          mode: mode as ImportMode | undefined,
          dryRun: options['dry-run'] === true,
          reason:
            text(options, 'reason') ??
            `Imported from ${file} with the CLI by ${process.env.USER ?? 'an operator'}`,
        },
      );
      for (const problem of report.refused)
        console.log(`row ${problem.row}, ${problem.column}: ${problem.message}`);
      console.log(
        `${report.dryRun ? 'dry run: nothing changed; ' : ''}${country} version ${draft.version}: ` +
          `${report.rows} rows, ${report.accepted.length} accepted (${report.created} new, ` +
          `${report.updated} updated, ${report.unchanged} unchanged, ${report.kept} kept), ` +
          `${new Set(report.refused.map((p) => p.row)).size} refused`,
      );
      return report.refused.length > 0 ? 1 : 0;
    }),
  );
}

async function writeLists(
  lists: PublishedList[],
  format: ExportFormat,
  shape: ExportShape,
  out: Writable,
): Promise<void> {
  if (format === ExportFormat.XLSX) {
    await xlsxExport(lists, shape, out);
    return;
  }
  const chunks = format === ExportFormat.CSV ? csvExport(lists, shape) : jsonExport(lists, shape);
  await pipeline(Readable.from(chunks), out, { end: out !== process.stdout });
}

const formatOf = (options: CliOptions): ExportFormat | undefined =>
  Object.values(ExportFormat).find(
    (f) => f === ((text(options, 'format') ?? 'csv').toLowerCase() as ExportFormat),
  );

/**
 * `export-entries --country GHA --version 3 [--format csv|json|xlsx] [--out FILE]` and
 * `export-in-force [--on DATE] [--format ...] [--out FILE]`: published lists only.
 */
export function exportCommand(
  config: AppConfig,
  command: 'export-entries' | 'export-in-force',
  options: CliOptions,
): Promise<number> {
  const format = formatOf(options);
  const country = text(options, 'country')?.trim().toUpperCase();
  const version = Number(text(options, 'version'));
  if (!format || (command === 'export-entries' && (!country || !Number.isInteger(version)))) {
    console.error(
      command === 'export-entries'
        ? 'export-entries needs --country GHA --version N [--format csv|json|xlsx] [--out FILE]'
        : 'export-in-force takes [--on YYYY-MM-DD] [--format csv|json|xlsx] [--out FILE]',
    );
    return Promise.resolve(2);
  }
  if (format === ExportFormat.XLSX && !text(options, 'out')) {
    console.error('an XLSX export is a file: give --out FILE.xlsx');
    return Promise.resolve(2);
  }
  return withDomain(config, async (app) => {
    const exports = app.get(ListExports);
    if (command === 'export-entries') {
      const list = await exports.version(country!, version);
      if (!list) {
        console.error(`${country} has no published version ${version}`);
        return 1;
      }
      await writeLists([list], format, { manyLists: false }, output(options));
      return 0;
    }
    const on = text(options, 'on') ?? app.get(Clock).today();
    await writeLists(await exports.listsInForce(on), format, { manyLists: true }, output(options));
    return 0;
  });
}

/** `entries-template [--out FILE]`: the CSV template of an import. */
export async function templateCommand(options: CliOptions): Promise<number> {
  await pipeline(Readable.from([csvTemplate()]), output(options), {
    end: !!text(options, 'out'),
  });
  return 0;
}

/**
 * `check-portfolio --file projects.csv [--out answers.csv]`: one answer per project row,
 * with progress on standard error.
 */
export function checkPortfolioCommand(config: AppConfig, options: CliOptions): Promise<number> {
  const file = text(options, 'file');
  if (!file) {
    console.error('check-portfolio needs --file projects.csv [--out answers.csv]');
    return Promise.resolve(2);
  }
  return withDomain(config, (app) =>
    refusing(async () => {
      const started = Date.now();
      const progress = (rows: number) => {
        const seconds = (Date.now() - started) / 1000;
        process.stderr.write(
          `\rchecked ${rows} projects (${Math.round(rows / Math.max(seconds, 0.001))}/s)`,
        );
      };
      const answers = await app
        .get(PortfolioCheck)
        .open(createReadStream(callerPath(file)), progress);
      await pipeline(Readable.from(answers), output(options), {
        end: !!text(options, 'out'),
      });
      process.stderr.write('\n');
      return 0;
    }),
  );
}
