import { parse } from 'csv-parse/sync';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  countryWithPeople,
  publishedVersion,
  redListEntry,
  solarEntry,
} from '../support/list-fixtures';
import { TestApp } from '../support/test-app';

const GRID_SOLAR = solarEntry({
  criteria: [
    { parameter: 'capacityMW', operator: 'LTE', threshold: 50, unit: 'MW' },
    { parameter: 'grid', operator: 'IN', values: ['national', 'mini-grid'] },
  ],
});

/**
 * The portfolio check (issue #16): a CSV of projects in, one answer per row out, in order,
 * through the same evaluation as checkEligibilityBatch, streamed both ways.
 */
describe('POST /eligibility/portfolio', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await TestApp.start();
    const people = await countryWithPeople(t, 'GHA');
    await publishedVersion(t, people, 'GHA', [GRID_SOLAR, redListEntry()]);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  const post = (body: string) =>
    t.http.post('/eligibility/portfolio').set('content-type', 'text/csv').send(body);

  it('answers each project row with status, version, unmet and missing criteria, baseline and explanation', async () => {
    const res = await post(
      [
        'project,hostCountry,activityKey,technology,on,baselineYear,capacityMW,grid',
        'Akosombo solar,GHA,GHA-SOLAR-UTILITY,,,2030,20,national',
        'Big solar,GHA,GHA-SOLAR-UTILITY,,,,80,national',
        'No grid given,GHA,GHA-SOLAR-UTILITY,,,,20,',
        'Lamps,GHA,,LED lighting,,,,',
        '',
        'Atlantis,ATL,GHA-SOLAR-UTILITY,,,,1,national',
        'Bad year,GHA,GHA-SOLAR-UTILITY,,,next,1,national',
        '=cmd|calc,GHA,GHA-SOLAR-UTILITY,,1999-01-01,,1,national',
      ].join('\n'),
    ).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const rows: Record<string, string>[] = parse(res.text, { bom: true, columns: true });
    expect(rows.map((r) => [r.row, r.project, r.status])).toEqual([
      ['2', 'Akosombo solar', 'ELIGIBLE'],
      ['3', 'Big solar', 'NOT_ELIGIBLE'],
      ['4', 'No grid given', 'INDETERMINATE'],
      ['5', 'Lamps', 'EXCLUDED'],
      ['7', 'Atlantis', 'ERROR'],
      ['8', 'Bad year', 'ERROR'],
      // A project named like a formula comes back escaped, so a spreadsheet shows it as text.
      ['9', "'=cmd|calc", 'NO_LIST_IN_FORCE'],
    ]);
    const [eligible, unmet, missing, excluded, unknown, badYear] = rows;
    expect(eligible).toMatchObject({
      hostCountry: 'GHA',
      listVersion: '1',
      entries: 'GHA-SOLAR-UTILITY',
      unmetCriteria: '',
      missingParameters: '',
    });
    // BAU_DOWNWARD_ADJUSTED: 0.8 x (1 - 10%) x (1 - 1%)^(2030 - 2025).
    expect(Number(eligible.baselineValue)).toBeCloseTo(0.8 * 0.9 * 0.99 ** 5, 6);
    expect(unmet.unmetCriteria).toBe('GHA-SOLAR-UTILITY: capacityMW 80 MW is not LTE 50');
    expect(missing.missingParameters).toBe('grid');
    expect(excluded.entries).toBe('GHA-EFFICIENT-LIGHTING');
    expect(unknown.explanation).toBe('hostCountry: "ATL" is not a registered host country');
    expect(badYear.explanation).toBe('baselineYear: must be a year such as 2030, not "next"');
    expect(eligible.explanation).toMatch(/is eligible/);
  });

  it('refuses a file without hostCountry, or with columns that are not parameters, before answering anything', async () => {
    const missing = await post('project,technology\nA,solar PV\n').expect(400);
    expect(missing.body.errors[0]).toMatchObject({
      message: 'Missing column: hostCountry (the file has project, technology)',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const odd = await post('hostCountry,capacity (MW)\nGHA,1\n').expect(400);
    expect(odd.body.errors[0].message).toMatch(/nor a parameter name: capacity \(MW\)/);
    const json = await t.http
      .post('/eligibility/portfolio')
      .set('content-type', 'application/json')
      .send({ hostCountry: 'GHA' })
      .expect(400);
    expect(json.body.errors[0].message).toMatch(/Content-Type: text\/csv/);
    // Only this route takes CSV: GraphQL refuses it as any body that is not JSON.
    const graphql = await t.http
      .post('/graphql')
      .set('content-type', 'text/csv')
      .send('query\n{ hostCountries { code } }\n')
      .expect(415);
    expect(graphql.body.errors[0]).toMatchObject({
      message: 'Request body must be application/json',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('streams: the first answers come back while the file is still being sent', async () => {
    const row = 'GHA,GHA-SOLAR-UTILITY,20,national\n';
    const answers = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${base}/eligibility/portfolio`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
      });
      let body = '';
      let sentAll = false;
      req.on('error', reject);
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          // The first batch is answered before the rest of the file exists.
          if (!sentAll && body.includes('\n2,')) {
            sentAll = true;
            req.end(row.repeat(10_000));
          }
        });
        res.on('end', () => (sentAll ? resolve(body) : reject(new Error('ended early'))));
      });
      req.write('hostCountry,activityKey,capacityMW,grid\n' + row.repeat(250));
    });
    const rows: Record<string, string>[] = parse(answers, { bom: true, columns: true });
    expect(rows).toHaveLength(10_250);
    expect(rows[10_249]).toMatchObject({ row: '10251', status: 'ELIGIBLE' });
  });
});
