import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { RequestContext } from '../../src/auth/principal';
import { Role } from '../../src/auth/role';
import { loadConfig } from '../../src/config/config';
import { CoreModule } from '../../src/core.module';
import { CountriesService } from '../../src/countries/countries.service';
import { IpccSector } from '../../src/countries/ipcc';
import { EligibilityService } from '../../src/eligibility/eligibility.service';
import { JsonLogger } from '../../src/logging/json-logger';
import { DraftingService } from '../../src/positive-lists/drafting.service';
import { ListQueriesService } from '../../src/positive-lists/list-queries.service';
import { ListWorkflowService } from '../../src/positive-lists/list-workflow.service';
import { EntryFieldsInput } from '../../src/positive-lists/entry-rules';
import { PrincipalsService } from '../../src/principals/principals.service';
import { solarEntry } from '../support/list-fixtures';
import { SettableClock } from '../support/settable-clock';
import { TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * The list services on their own, without HTTP: the domain booted as the CLI boots it, on a
 * clone of the template database, on a day the test sets.
 */
describe('list services on PostgreSQL, without HTTP', () => {
  const clock = new SettableClock('2031-06-01T09:00:00.000Z');
  let db: TestDatabase;
  let app: INestApplicationContext;
  let official: RequestContext;
  let approver: RequestContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'error' });
    app = await NestFactory.createApplicationContext(
      CoreModule.forRoot(config, db.url, new JsonLogger('error'), clock),
      { logger: false },
    );
    const system: RequestContext = { principal: null, requestId: 'set-up' };
    await app
      .get(CountriesService)
      .registerHostCountry(system, { code: 'GHA', name: 'Ghana', reason: 'set-up' });
    await app.get(CountriesService).upsertNdcSector(system, {
      hostCountry: 'GHA',
      code: 'ENERGY',
      name: 'Energy',
      ipccSector: IpccSector.ENERGY,
      ipccCategories: ['1.A.1'],
      reason: 'set-up',
    });
    const person = async (role: Role, name: string): Promise<RequestContext> => {
      const { principal } = await app
        .get(PrincipalsService)
        .create(system, { name, role, hostCountry: 'GHA', reason: 'set-up' });
      return {
        principal: { id: principal.id, name, role, hostCountry: 'GHA' },
        requestId: `req-${name}`,
      };
    };
    official = await person(Role.OFFICIAL, 'official');
    approver = await person(Role.APPROVER, 'approver');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('drafts, submits, refuses the submitter as publisher, publishes on the clock, and answers from it', async () => {
    const drafting = app.get(DraftingService);
    const workflow = app.get(ListWorkflowService);
    const draft = await drafting.createDraft(official, {
      hostCountry: 'GHA',
      title: 'Whitelist 2031',
      reason: 'annual review',
    });
    expect(draft).toMatchObject({ version: 1, status: 'DRAFT', createdByName: 'official' });
    await drafting.addEntry(official, {
      listVersionId: draft.id,
      entry: solarEntry() as unknown as EntryFieldsInput,
      reason: 'first entry',
    });
    await workflow.submit(official, { listVersionId: draft.id, reason: 'ready' });

    // Four eyes: an approver who submitted may not publish; the official is not an approver
    // at all, but the service itself checks identity, whatever the caller's role.
    await expect(
      workflow.publish(official, {
        listVersionId: draft.id,
        effectiveFrom: '2031-06-01',
        reason: 'mine',
      }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Four eyes: official submitted version 1 and cannot also publish it',
    });

    const published = await workflow.publish(approver, {
      listVersionId: draft.id,
      effectiveFrom: '2031-06-01',
      reason: 'approved',
    });
    expect(published).toMatchObject({
      status: 'PUBLISHED',
      effectiveFrom: '2031-06-01',
      approvedByName: 'approver',
    });
    expect(published.publishedAt?.toISOString()).toBe('2031-06-01T09:00:00.000Z');

    const answer = await app.get(EligibilityService).check({
      hostCountry: 'GHA',
      activityKey: 'GHA-SOLAR-UTILITY',
      parameters: [{ name: 'capacityMW', number: 12 }],
    });
    expect(answer).toMatchObject({ status: 'ELIGIBLE', on: '2031-06-01' });
    expect(answer.listVersion?.id).toBe(draft.id);

    const visible = await app
      .get(ListQueriesService)
      .findVisible({ principal: null, requestId: 'anon' }, draft.id);
    expect(visible?.id).toBe(draft.id);
  });

  it('starts an empty draft on request even with a version in force, else copies that version', async () => {
    const drafting = app.get(DraftingService);
    const workflow = app.get(ListWorkflowService);
    const queries = app.get(ListQueriesService);
    // Version 1 of the test above is in force; a draft that names a source cannot be empty.
    await expect(
      drafting.createDraft(official, {
        hostCountry: 'GHA',
        title: 'Both',
        basedOnVersionId: (await sql('SELECT id FROM positive_list_version WHERE version = 1'))[0]
          .id as string,
        empty: true,
        reason: 'contradiction',
      }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const empty = await drafting.createDraft(official, {
      hostCountry: 'GHA',
      title: 'Starting over',
      empty: true,
      reason: 'a new list from scratch',
    });
    expect(empty.basedOnVersionId).toBeNull();
    expect((await queries.findVisible(official, empty.id))?.id).toBe(empty.id);
    expect(await entryCount(empty.id)).toBe(0);
    await workflow.discard(official, { listVersionId: empty.id, reason: 'changed my mind' });

    const copied = await drafting.createDraft(official, {
      hostCountry: 'GHA',
      title: 'Revision',
      reason: 'annual review',
    });
    expect(copied.basedOnVersionId).not.toBeNull();
    expect(await entryCount(copied.id)).toBe(1);
  });

  const sql = (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
    app.get(DataSource).query(text, params);
  const entryCount = async (versionId: string): Promise<number> =>
    (
      await sql('SELECT count(*)::int AS n FROM activity_entry WHERE list_version_id = $1', [
        versionId,
      ])
    )[0].n as number;
});
