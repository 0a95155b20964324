import { RequestMethod, SetMetadata, applyDecorators } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/access';
import { PolicyCheck } from '../auth/policy-check';
import { OperationPolicy, ResolverClass, operationOf } from '../auth/policy-table';
import { AuthenticatedPrincipal } from '../auth/principal';

export const CONSOLE_PAGE = 'registry:console-page';

/** The arguments of the followed operation, as this request gives them (for country checks). */
export type OperationArgs = (req: FastifyRequest) => Record<string, unknown>;

/** What a workspace route declares about who may use it. */
export type ConsolePageSpec =
  | {
      kind: 'page';
      /** The API operation whose policy the page follows: a resolver and its method. */
      resolver: ResolverClass;
      handler: string;
      args?: OperationArgs;
    }
  /** Signing in and out: open to anyone, they check their own form tokens. */
  | { kind: 'session' };

/**
 * A workspace page that checks exactly the access policy of the API operation it stands for,
 * with the signed-in principal and the operation's arguments taken from the request (route
 * parameters, form fields). The API's guard reads the `Authorization` header, which pages do
 * not carry, so for it the route is open; the workspace's guard (ConsoleGuard) does the check.
 */
export function Follows<R extends object>(
  resolver: new (...args: never[]) => R,
  handler: keyof R & string,
  args?: OperationArgs,
) {
  return applyDecorators(
    Public(),
    SetMetadata(CONSOLE_PAGE, {
      kind: 'page',
      resolver,
      handler,
      args,
    } satisfies ConsolePageSpec),
  );
}

/** The sign-in and sign-out routes: no session needed to reach them. */
export const SessionRoute = () =>
  applyDecorators(
    Public(),
    SetMetadata(CONSOLE_PAGE, { kind: 'session' } satisfies ConsolePageSpec),
  );

/** The operation a page follows, with its policy; throws when the page names no operation. */
export function followedOperation(
  spec: Extract<ConsolePageSpec, { kind: 'page' }>,
): OperationPolicy {
  const operation = operationOf(spec.resolver, spec.handler);
  if (!operation)
    throw new Error(`${spec.resolver.name}.${spec.handler} is not a Query or Mutation`);
  return operation;
}

/**
 * Whether an API operation's own policy lets `principal` call it with `args`: how a page
 * decides which forms to offer (the route that takes the form checks it again, see Follows).
 */
export function policyAllows<R extends object>(
  policies: PolicyCheck,
  principal: AuthenticatedPrincipal | null,
  resolver: new (...args: never[]) => R,
  handler: keyof R & string,
  args: Record<string, unknown>,
): Promise<boolean> {
  const { policy } = followedOperation({ kind: 'page', resolver, handler });
  if (!policy) return Promise.resolve(false);
  return policies.authorize(policy, principal, args).then(
    () => true,
    () => false,
  );
}

export interface ConsoleRoute {
  method: string;
  path: string;
  spec: ConsolePageSpec | undefined;
}

const joinPath = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');

/** Every route of the given controllers, with what it declares (undefined: nothing). */
export function consoleRoutes(
  controllers: readonly (new (...args: never[]) => object)[],
): ConsoleRoute[] {
  return controllers.flatMap((controller) => {
    const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((key) => {
      const handler = proto[key];
      if (key === 'constructor' || typeof handler !== 'function') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const spec = Reflect.getMetadata(CONSOLE_PAGE, handler) as ConsolePageSpec | undefined;
      return [{ method, path: joinPath(base, path), spec }];
    });
  });
}

/** The workspace's routes by the operation they follow (`Query.me`), for the policy table. */
export function pagesByOperation(routes: ConsoleRoute[]): Map<string, string[]> {
  const pages = new Map<string, string[]>();
  for (const route of routes) {
    if (route.spec?.kind !== 'page') continue;
    const op = followedOperation(route.spec);
    const key = `${op.type}.${op.name}`;
    pages.set(key, [...(pages.get(key) ?? []), `${route.method} ${route.path}`]);
  }
  return pages;
}
