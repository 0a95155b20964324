import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLList, GraphQLNonNull, GraphQLOutputType } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { ErrorCode } from '../common/errors';

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
 * fields: what it would return, before it runs.
 */
export const listMultiplyingEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  let size = 1;
  if (field.args.some((a) => a.name === 'first') && !isList(field.type)) {
    // A connection: its page size (`first`, else the default page) multiplies its edges.
    size = typeof args.first === 'number' ? args.first : ASSUMED_LIST_SIZE;
  } else if (isList(field.type) && field.name !== 'edges') {
    // A connection's edges were counted by the connection itself.
    size = sizeFromArgs(args) ?? ASSUMED_LIST_SIZE;
  }
  return 1 + size * childComplexity;
};

/**
 * Refuses, before execution, an operation whose estimated cost exceeds `maxCost`, with
 * BAD_USER_INPUT stating both (HTTP 400), so one anonymous request cannot make the service
 * build a response of tens of megabytes.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, request, schema, operation }) {
          if (!operation) return Promise.resolve();
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [listMultiplyingEstimator],
            });
          } catch {
            // Variables that do not coerce (a bad date, text the edge refuses): execution
            // reports them with their proper code; there is nothing to cost.
            return Promise.resolve();
          }
          if (cost <= maxCost) return Promise.resolve();
          return Promise.reject(
            new GraphQLError(
              `Query cost ${cost} exceeds the limit of ${maxCost}: ask for fewer nested lists, or page them with first`,
              {
                extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
              },
            ),
          );
        },
      });
    },
  };
}
