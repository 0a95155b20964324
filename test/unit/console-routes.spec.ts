import 'reflect-metadata';
import { Controller, Get } from '@nestjs/common';
import { operationPolicies, renderPolicyTable } from '../../src/auth/policy-table';
import { safeNext } from '../../src/console/console-access';
import { CONSOLE_CONTROLLERS } from '../../src/console/console.module';
import {
  consoleRoutes,
  followedOperation,
  pagesByOperation,
} from '../../src/console/console-route';
import { RESOLVERS } from '../../src/resolvers';

describe('the workspace follows the API policies', () => {
  const routes = consoleRoutes(CONSOLE_CONTROLLERS);

  it('lists every route of its controllers', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /console',
      'GET /console/audit',
      'GET /console/audit/events/:seq',
      'GET /console/countries',
      'GET /console/countries/:code/review',
      'GET /console/countries/:code/sectors',
      'GET /console/countries/:code/sectors/:sector',
      'GET /console/countries/:code/versions',
      'GET /console/countries/:code/versions/:number',
      'GET /console/countries/:code/versions/:number/entries/:key/edit',
      'GET /console/countries/:code/versions/:number/entries/new',
      'GET /console/principals',
      'GET /console/principals/:id/revoke',
      'GET /console/sign-in',
      'GET /console/sign-in/oidc',
      'GET /console/sign-in/oidc/callback',
      'GET /console/versions/:id/import',
      'POST /console/countries',
      'POST /console/countries/:code/sectors',
      'POST /console/countries/:code/sectors/:sector',
      'POST /console/countries/:code/versions',
      'POST /console/countries/:code/versions/:number/discard',
      'POST /console/countries/:code/versions/:number/entries/:key/edit',
      'POST /console/countries/:code/versions/:number/entries/:key/remove',
      'POST /console/countries/:code/versions/:number/entries/new',
      'POST /console/countries/:code/versions/:number/publish',
      'POST /console/countries/:code/versions/:number/reject',
      'POST /console/countries/:code/versions/:number/submit',
      'POST /console/countries/:code/versions/:number/withdraw',
      'POST /console/principals',
      'POST /console/principals/:id/revoke',
      'POST /console/sign-in',
      'POST /console/sign-out',
      'POST /console/versions/:id/import',
    ]);
  });

  it('declares, for every route, the API operation whose policy it checks (or that it signs in or out)', () => {
    const operations = operationPolicies(RESOLVERS);
    for (const route of routes) {
      expect({ route: route.path, declared: route.spec !== undefined }).toEqual({
        route: route.path,
        declared: true,
      });
      if (route.spec?.kind !== 'page') {
        expect([
          '/console/sign-in',
          '/console/sign-in/oidc',
          '/console/sign-in/oidc/callback',
          '/console/sign-out',
        ]).toContain(route.path);
        continue;
      }
      const followed = followedOperation(route.spec);
      // The operation is one the API serves, and the page checks that very policy object.
      const served = operations.find(
        (op) => op.type === followed.type && op.name === followed.name,
      );
      expect(served).toBeDefined();
      expect(followed.policy).toBeDefined();
      expect(followed.policy).toBe(served!.policy);
    }
  });

  it('would notice a route that declares nothing', () => {
    @Controller('console')
    class Undeclared {
      @Get('somewhere')
      page() {
        return undefined;
      }
    }
    const [route] = consoleRoutes([Undeclared]);
    expect(route).toEqual({ method: 'GET', path: '/console/somewhere', spec: undefined });
  });

  it('names each page in the policy table next to its operation', () => {
    const pages = pagesByOperation(routes);
    expect(Object.fromEntries(pages)).toEqual({
      'Query.me': ['GET /console'],
      'Mutation.discardDraft': ['POST /console/countries/:code/versions/:number/discard'],
      'Mutation.withdraw': ['POST /console/countries/:code/versions/:number/withdraw'],
      'Query.hostCountry': [
        'GET /console/countries/:code/versions',
        'GET /console/countries/:code/review',
      ],
      'Mutation.createDraft': ['POST /console/countries/:code/versions'],
      'Query.listVersion': [
        'GET /console/countries/:code/versions/:number',
        'GET /console/countries/:code/versions/:number/entries/new',
        'GET /console/countries/:code/versions/:number/entries/:key/edit',
      ],
      'Mutation.addEntry': ['POST /console/countries/:code/versions/:number/entries/new'],
      'Mutation.updateEntry': ['POST /console/countries/:code/versions/:number/entries/:key/edit'],
      'Mutation.removeEntry': [
        'POST /console/countries/:code/versions/:number/entries/:key/remove',
      ],
      'Mutation.submitDraft': ['POST /console/countries/:code/versions/:number/submit'],
      'Mutation.publish': ['POST /console/countries/:code/versions/:number/publish'],
      'Mutation.reject': ['POST /console/countries/:code/versions/:number/reject'],
      'Mutation.importEntries': [
        'GET /console/versions/:id/import',
        'POST /console/versions/:id/import',
      ],
      'Query.auditEvents': ['GET /console/audit'],
      'Query.auditEvent': ['GET /console/audit/events/:seq'],
      'Query.hostCountries': ['GET /console/countries'],
      'Mutation.registerHostCountry': ['POST /console/countries'],
      'Mutation.upsertNdcSector': [
        'GET /console/countries/:code/sectors',
        'POST /console/countries/:code/sectors',
        'GET /console/countries/:code/sectors/:sector',
        'POST /console/countries/:code/sectors/:sector',
      ],
      'Query.principals': ['GET /console/principals'],
      'Mutation.createPrincipal': ['POST /console/principals'],
      'Mutation.revokePrincipal': [
        'GET /console/principals/:id/revoke',
        'POST /console/principals/:id/revoke',
      ],
    });
    const table = renderPolicyTable(operationPolicies(RESOLVERS), pages);
    expect(table).toContain(
      '| mutation | `revokePrincipal` | ADMIN | `GET /console/principals/:id/revoke`<br>`POST /console/principals/:id/revoke` |',
    );
    expect(table).toContain(
      '| mutation | `createDraft` | OFFICIAL (own country), APPROVER (own country) | `POST /console/countries/:code/versions` |',
    );
    expect(table).toContain(
      '| query | `auditEvent` | ADMIN, AUDITOR, OFFICIAL (own country), APPROVER (own country) | `GET /console/audit/events/:seq` |',
    );
  });
});

describe('after signing in, a person goes back only within the workspace', () => {
  it.each([
    ['/console', '/console'],
    ['/console/countries/GHA/versions', '/console/countries/GHA/versions'],
    ['/console/countries/GHA/versions?lang=fr', '/console/countries/GHA/versions?lang=fr'],
  ])('%s is kept', (next, kept) => expect(safeNext(next)).toBe(kept));

  it.each([
    'https://evil.example/console',
    '//evil.example/console',
    '/\\evil.example',
    '/console//evil.example',
    '/console/\\evil.example',
    '/consoles',
    '/graphql',
    '/console/sign-in',
    '/console/sign-out',
    '/console/sign-in/oidc',
    '/console/sign-in/oidc/callback?code=x&state=y',
    'javascript:alert(1)',
    '/console/a\r\nSet-Cookie:x',
    '',
    undefined,
    ['/console'],
  ])('%p is refused', (next) => expect(safeNext(next)).toBeUndefined());

  it('keeps encoded characters encoded: a Location header cannot be split', () => {
    expect(safeNext('/console/%0d%0aSet-Cookie:x')).toBe('/console/%0d%0aSet-Cookie:x');
  });
});
