import { ACCESS_POLICY, AccessPolicy, describePolicy } from './access';

/** Nest GraphQL's metadata keys for root operations (set by @Query / @Mutation). */
const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';

export interface OperationPolicy {
  type: 'Query' | 'Mutation';
  name: string;
  policy: AccessPolicy | undefined;
}

/** Every Query and Mutation handler of the given resolver classes, with its declared policy. */
export function operationPolicies(
  resolvers: readonly (new (...args: never[]) => object)[],
): OperationPolicy[] {
  const operations: OperationPolicy[] = [];
  for (const resolver of resolvers) {
    const proto = resolver.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(proto)) {
      const handler = proto[key];
      if (key === 'constructor' || typeof handler !== 'function') continue;
      const type = Reflect.getMetadata(RESOLVER_TYPE, handler) as string | undefined;
      if (type !== 'Query' && type !== 'Mutation') continue;
      operations.push({
        type,
        name: (Reflect.getMetadata(RESOLVER_NAME, handler) as string | undefined) ?? key,
        policy: Reflect.getMetadata(ACCESS_POLICY, handler) as AccessPolicy | undefined,
      });
    }
  }
  return operations.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

/** The Markdown policy table shown in the README (a test keeps the two identical). */
export function renderPolicyTable(operations: OperationPolicy[]): string {
  const rows = operations.map(
    (op) =>
      `| ${op.type.toLowerCase()} | \`${op.name}\` | ${op.policy ? describePolicy(op.policy) : '**none: refused**'} |`,
  );
  return ['| kind | operation | who may call it |', '|---|---|---|', ...rows].join('\n');
}
