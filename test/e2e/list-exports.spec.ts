import { parse } from 'csv-parse/sync';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CREATE_DRAFT,
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
} from '../support/list-fixtures';
import { TestApp } from '../support/test-app';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/**
 * Published lists as files over HTTP (cached like the pages) and through the CLI, which
 * also imports into a draft and checks a portfolio (issue #16).
 */
describe('list exports and the bulk CLI', () => {
  let t: TestApp;
  let people: Awaited<ReturnType<typeof countryWithPeople>>;
  const work = mkdtempSync(join(tmpdir(), 'plr-bulk-'));
  /** The compiled CLI on this test's database. */
  const cli = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' },
    });

  beforeAll(async () => {
    t = await TestApp.start();
    people = await countryWithPeople(t, 'GHA');
    const kenya = await countryWithPeople(t, 'KEN');
    await publishedVersion(t, people, 'GHA', [solarEntry(), redListEntry()]);
    await publishedVersion(t, kenya, 'KEN', [solarEntry({ key: 'KEN-SOLAR' })]);
    // GHA's version 2 stays a draft: its number exists, its file must not.
    const res = await t.gql(
      CREATE_DRAFT,
      { input: { hostCountry: 'GHA', title: 'v2', reason: 'next' } },
      people.official.key,
    );
    expect(res.errors).toBeUndefined();
  });
  afterAll(() => t?.close());

  it("serves a published version's file with an ETag, a 304 and public caching; a draft's number is 404", async () => {
    const first = await t.http.get('/countries/GHA/versions/1/entries.json').expect(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['content-disposition']).toBe('attachment; filename="GHA-v1-entries.json"');
    expect(first.headers['cache-control']).toMatch(
      /^public, max-age=\d+, stale-while-revalidate=\d+$/,
    );
    const entries = JSON.parse(first.text) as { key: string }[];
    expect(entries.map((e) => e.key)).toEqual(['GHA-EFFICIENT-LIGHTING', 'GHA-SOLAR-UTILITY']);
    await t.http
      .get('/countries/GHA/versions/1/entries.json')
      .set('if-none-match', first.headers.etag)
      .expect(304);
    // Another format is another file.
    const csv = await t.http.get('/countries/GHA/versions/1/entries.csv').expect(200);
    expect(csv.headers.etag).not.toBe(first.headers.etag);
    for (const path of [
      '/countries/GHA/versions/2/entries.csv',
      '/countries/GHA/versions/9/entries.csv',
      '/countries/ATL/versions/1/entries.csv',
      '/countries/GHA/versions/1/entries.pdf',
    ]) {
      const res = await t.http.get(path).expect(404);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('exports every list in force on a date, each row saying whose it is', async () => {
    const res = await t.http.get('/lists-in-force.csv').expect(200);
    const rows: Record<string, string>[] = parse(res.text, { bom: true, columns: true });
    expect(rows.map((r) => [r.hostCountry, r.listVersion, r.key])).toEqual([
      ['GHA', '1', 'GHA-EFFICIENT-LIGHTING'],
      ['GHA', '1', 'GHA-SOLAR-UTILITY'],
      ['KEN', '1', 'KEN-SOLAR'],
    ]);
    const before = JSON.parse((await t.http.get('/lists-in-force.json?on=2000-01-01')).text);
    expect(before).toEqual([]);
    const json = JSON.parse((await t.http.get('/lists-in-force.json')).text) as {
      hostCountry: string;
      contentDigest: string;
      entries: unknown[];
    }[];
    expect(json.map((l) => [l.hostCountry, l.entries.length])).toEqual([
      ['GHA', 2],
      ['KEN', 1],
    ]);
    expect(json[0].contentDigest).toMatch(/^[0-9a-f]{64}$/);
    await t.http.get('/lists-in-force.csv?on=someday').expect(400);
  });

  it('serves the CSV template: every column, no rows', async () => {
    const res = await t.http.get('/templates/entries.csv').expect(200);
    const [header, ...rows]: string[][] = parse(res.text, { bom: true });
    expect(rows).toEqual([]);
    expect(header).toEqual(expect.arrayContaining(['key', 'criterion3.unit', 'legalBasis']));
  });

  it('imports into the open draft, exports and checks a portfolio from the command line', async () => {
    const exported = join(work, 'gha-v1.csv');
    await cli('export-entries', '--country', 'GHA', '--version', '1', '--out', exported);
    const file = readFileSync(exported, 'utf8');
    expect(file).toBe((await t.http.get('/countries/GHA/versions/1/entries.csv')).text);

    // The draft was copied from version 1: the same file changes nothing in it.
    const same = await cli('import-entries', '--country', 'GHA', '--file', exported, '--dry-run');
    expect(same.stdout).toContain(
      'dry run: nothing changed; GHA version 2: 2 rows, 2 accepted (0 new, 0 updated, 2 unchanged, 0 kept), 0 refused',
    );
    const renamed = file.replace('Utility-scale solar PV', 'Solar parks');
    writeFileSync(join(work, 'renamed.csv'), renamed);
    const before = await t.auditCount();
    const upsert = await cli(
      'import-entries',
      '--country',
      'GHA',
      '--file',
      join(work, 'renamed.csv'),
      '--mode',
      'upsert',
      '--reason',
      'renamed in the gazette',
    );
    expect(upsert.stdout).toContain('1 updated, 1 unchanged');
    const [event] = await t.sql<{ action: string; reason: string; actor_name: string }>(
      'SELECT action, reason, actor_name FROM audit_event WHERE seq > $1',
      [before],
    );
    expect(event).toMatchObject({ action: 'UPDATE', reason: 'renamed in the gazette' });

    writeFileSync(join(work, 'bad.csv'), renamed.replace('POSITIVE', 'MAYBE'));
    const refused = await cli(
      'import-entries',
      '--country',
      'GHA',
      '--file',
      join(work, 'bad.csv'),
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(
      /BAD_USER_INPUT: 1 of 2 rows refused, so nothing was imported: row 3, kind: kind must be one of the following values/,
    );

    writeFileSync(
      join(work, 'projects.csv'),
      'project,hostCountry,activityKey,capacityMW\n' + 'p,GHA,GHA-SOLAR-UTILITY,20\n'.repeat(250),
    );
    const answers = join(work, 'answers.csv');
    const checked = await cli(
      'check-portfolio',
      '--file',
      join(work, 'projects.csv'),
      '--out',
      answers,
    );
    expect(checked.stderr).toMatch(/checked 250 projects/);
    const rows: Record<string, string>[] = parse(readFileSync(answers, 'utf8'), {
      bom: true,
      columns: true,
    });
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['ELIGIBLE']));
  });
});
