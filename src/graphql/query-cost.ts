import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import {
  DocumentNode,
  GraphQLError,
  GraphQLList,
  GraphQLNonNull,
  GraphQLOutputType,
  Kind,
  OperationDefinitionNode,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DomainError, ErrorCode } from '../common/errors';
import { GraphqlContext } from './context';
import { rateLimited } from './fair-use';

/**
 * How many items a list field is assumed to return when the query does not say (no
 * `first`): the default page size, and a fair guess for a country's versions, sectors and
 * entries. Lists the caller sizes (`first`, a list argument such as the batch's queries)
 * count at that size.
 */
export const ASSUMED_LIST_SIZE = 20;

function isList(type: GraphQLOutputType): boolean {
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  return inner instanceof GraphQLList;
}

/** The size a list argument gives the result: `first`, or the longest list argument. */
function sizeFromArgs(args: Record<string, unknown>): number | undefined {
  if (typeof args.first === 'number') return args.first;
  let longest: number | undefined;
  for (const value of Object.values(args))
    if (Array.isArray(value)) longest = Math.max(longest ?? 0, value.length);
  return longest;
}

/**
 * Every field costs 1, and a list multiplies what is selected under it by its size, so
 * `hostCountries { listVersions { entries { ... } } }` costs countries x versions x entries x
 * fields: what it would return, before it runs. A field declared with `complexity: n`
 * (code first: `@Query(() => T, { complexity: n })`) adds n per item for work its fields do
 * not show, such as evaluating an eligibility question.
 */
export const listMultiplyingEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const work = typeof field.extensions?.complexity === 'number' ? field.extensions.complexity : 0;
  let size = 1;
  if (field.args.some((a) => a.name === 'first') && !isList(field.type)) {
    // A connection: its page size (`first`, else the default page) multiplies its edges.
    size = typeof args.first === 'number' ? args.first : ASSUMED_LIST_SIZE;
  } else if (isList(field.type) && field.name !== 'edges') {
    // A connection's edges were counted by the connection itself.
    size = sizeFromArgs(args) ?? ASSUMED_LIST_SIZE;
  }
  return 1 + size * (childComplexity + work);
};

/** What {@link ExpensiveOperations.start} decided. */
/**
 * Introspection reads the schema, not the registry's data: its size is fixed by the schema,
 * and client tools (GraphiQL, code generators) send the standard query, which lists-multiply
 * would cost at some 330,000. The depth limit exempts it too (query-limits.ts).
 */
function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
  );
}

/**
 * What of the variables the cost can depend on: the estimator reads only top-level argument
 * values, `first` and the length of lists, and arguments take variables whole. So two requests
 * of one document whose variables agree on numbers and list lengths cost the same, whatever
 * the text in them: the answer to millions of eligibility questions is costed once.
 */
function costShape(operationName: string | undefined, variables: Record<string, unknown>): string {
  let shape = operationName ?? '';
  for (const [name, value] of Object.entries(variables)) {
    shape += `|${name}:${
      Array.isArray(value) ? `[${value.length}]` : typeof value === 'number' ? value : typeof value
    }`;
  }
  return shape;
}

/** Costs by parsed document (Apollo reuses one DocumentNode per distinct query text). */
const costs = new WeakMap<DocumentNode, Map<string, number>>();
/** Shapes kept per document; past it, the oldest is forgotten. */
const SHAPES_PER_DOCUMENT = 64;

function rememberedCost(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number | undefined {
  return costs.get(document)?.get(costShape(operationName, variables));
}

function rememberCost(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  cost: number,
): void {
  let shapes = costs.get(document);
  if (!shapes) costs.set(document, (shapes = new Map<string, number>()));
  shapes.set(costShape(operationName, variables), cost);
  if (shapes.size > SHAPES_PER_DOCUMENT) shapes.delete(shapes.keys().next().value!);
}

export type ExpensiveStart = 'started' | 'client-busy' | 'instance-busy';

/**
 * Expensive operations on this instance: each client may have only `perClient` of them at
 * once (running or waiting), and only `atOnce` run at a time in all, the others waiting
 * their turn in arrival order. The second bound is what keeps the event loop free for
 * everything else: batches are mostly synchronous work (evaluation, then execution and
 * serialization of thousands of fields), and fifty of them interleaved would hold a
 * /health probe or a single question for seconds. Counted per instance on purpose: what
 * it protects is this process.
 */
export class ExpensiveOperations {
  private readonly perClientCount = new Map<string, number>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly perClient: number,
    private readonly atOnce: number,
    private readonly maxWaiting: number,
  ) {}

  /** Resolves once `client`'s operation may run, or says why it may not. */
  async start(client: string): Promise<ExpensiveStart> {
    const count = this.perClientCount.get(client) ?? 0;
    if (this.perClient > 0 && count >= this.perClient) return 'client-busy';
    if (this.running >= this.atOnce && this.waiting.length >= this.maxWaiting) {
      return 'instance-busy';
    }
    this.perClientCount.set(client, count + 1);
    if (this.running < this.atOnce) this.running += 1;
    // A slot is handed over by finish(), so running stays counted while it changes hands.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    return 'started';
  }

  finish(client: string): void {
    const count = (this.perClientCount.get(client) ?? 1) - 1;
    if (count <= 0) this.perClientCount.delete(client);
    else this.perClientCount.set(client, count);
    const next = this.waiting.shift();
    // Handed over on the next turn of the event loop, not at once: an operation that needs
    // no I/O (a batch answered from memory) would otherwise start the next one in the same
    // run of microtasks, and a queue of them would hold the loop until the last one ends,
    // with /health and every other request waiting behind it.
    if (next) setImmediate(next);
    else this.running -= 1;
  }

  /** Running and waiting operations of `client`. */
  countFor(client: string): number {
    return this.perClientCount.get(client) ?? 0;
  }
}

const busy = (retryAfterSeconds: number): DomainError =>
  new DomainError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `The registry is busy with other expensive operations; retry in ${retryAfterSeconds} seconds.`,
    undefined,
    retryAfterSeconds,
  );

export interface CostLimits {
  maxCost: number;
  /** Operations costing at least this are expensive: see {@link ExpensiveOperations}. */
  expensiveCost: number;
  expensive: ExpensiveOperations;
}

/**
 * Costs every operation before execution and:
 * - refuses one whose estimated cost exceeds `maxCost`, with BAD_USER_INPUT stating both
 *   (HTTP 400), so one anonymous request cannot make the service build a response of tens
 *   of megabytes;
 * - lets each client have only a few expensive ones (batches, large nested reads) at once;
 *   the next is RATE_LIMITED (HTTP 429, `Retry-After: 1`) until one finishes, so a client
 *   that fires fifty batches at once queues behind itself, not in front of everyone else;
 * - runs only a few expensive ones at a time on the instance, the rest waiting their turn
 *   (and SERVICE_UNAVAILABLE, `Retry-After: 5`, when too many already wait).
 */
export function queryCostPlugin(limits: CostLimits): ApolloServerPlugin<GraphqlContext> {
  return {
    requestDidStart() {
      let startedFor: string | undefined;
      return Promise.resolve({
        didResolveOperation({ document, request, schema, operation, contextValue }) {
          if (!operation || isIntrospectionOnly(operation)) return Promise.resolve();
          const variables = request.variables ?? {};
          const operationName = request.operationName ?? undefined;
          let cost = rememberedCost(document, operationName, variables);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                operationName,
                variables,
                estimators: [listMultiplyingEstimator],
              });
            } catch {
              // Variables that do not coerce (a bad date, text the edge refuses): execution
              // reports them with their proper code; there is nothing to cost.
              return Promise.resolve();
            }
            rememberCost(document, operationName, variables, cost);
          }
          if (cost > limits.maxCost) {
            return Promise.reject(
              new GraphQLError(
                `Query cost ${cost} exceeds the limit of ${limits.maxCost}: ask for fewer nested lists, or page them with first`,
                {
                  extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
                },
              ),
            );
          }
          if (cost < limits.expensiveCost) return Promise.resolve();
          return limits.expensive.start(contextValue.client).then((outcome) => {
            if (outcome === 'started') {
              startedFor = contextValue.client;
              return;
            }
            const error =
              outcome === 'client-busy'
                ? rateLimited(
                    1,
                    `This client already has its share of expensive operations (cost ${limits.expensiveCost} or more) running; this one costs ${cost}`,
                  )
                : busy(5);
            throw new GraphQLError(error.message, {
              originalError: error,
              extensions: {
                code: error.code,
                http: {
                  status: outcome === 'client-busy' ? 429 : 503,
                  headers: new HeaderMap([['retry-after', String(error.retryAfterSeconds)]]),
                },
              },
            });
          });
        },
        willSendResponse() {
          if (startedFor !== undefined) limits.expensive.finish(startedFor);
          startedFor = undefined;
          return Promise.resolve();
        },
      });
    },
  };
}
