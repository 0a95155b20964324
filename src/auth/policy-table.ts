import { ACCESS_POLICY, AccessPolicy, describePolicy } from './access';

/** Nest GraphQL's metadata keys for root operations (set by @Query / @Mutation). */
const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';

export interface OperationPolicy {
  type: 'Query' | 'Mutation';
  name: string;
  policy: AccessPolicy | undefined;
}

export type ResolverClass = new (...args: never[]) => object;

/** The root operation a resolver method implements, with its policy; undefined for others. */
export function operationOf(resolver: ResolverClass, key: string): OperationPolicy | undefined {
  const handler = (resolver.prototype as Record<string, unknown>)[key];
  if (key === 'constructor' || typeof handler !== 'function') return undefined;
  const type = Reflect.getMetadata(RESOLVER_TYPE, handler) as string | undefined;
  if (type !== 'Query' && type !== 'Mutation') return undefined;
  return {
    type,
    name: (Reflect.getMetadata(RESOLVER_NAME, handler) as string | undefined) ?? key,
    policy: Reflect.getMetadata(ACCESS_POLICY, handler) as AccessPolicy | undefined,
  };
}

/** Every Query and Mutation handler of the given resolver classes, with its declared policy. */
export function operationPolicies(resolvers: readonly ResolverClass[]): OperationPolicy[] {
  const operations = resolvers.flatMap((resolver) =>
    Object.getOwnPropertyNames(resolver.prototype).flatMap((key) => {
      const op = operationOf(resolver, key);
      return op ? [op] : [];
    }),
  );
  return operations.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/**
 * The Markdown policy table shown in the README (a test keeps the two identical), with the
 * workspace's pages that follow each operation's policy (keyed `Query.me`).
 */
export function renderPolicyTable(
  operations: OperationPolicy[],
  pages: ReadonlyMap<string, readonly string[]> = new Map(),
): string {
  const rows = operations.map((op) => {
    const who = op.policy ? describePolicy(op.policy) : '**none: refused**';
    const following = (pages.get(`${op.type}.${op.name}`) ?? []).map((p) => `\`${p}\``);
    return `| ${op.type.toLowerCase()} | \`${op.name}\` | ${who} | ${following.join('<br>')} |`;
  });
  return [
    '| kind | operation | who may call it | workspace pages that check the same policy |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
