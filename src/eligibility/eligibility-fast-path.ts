import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DocumentNode,
  FieldNode,
  GraphQLField,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  SelectionSetNode,
  getArgumentValues,
  getVariableValues,
  isLeafType,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { ACCESS_POLICY, AccessPolicy } from '../auth/access';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { GRAPHQL_PATH } from '../graphql/graphql-options';
import { PublicDataVersion, publicCacheControl, publicReadEtag } from '../graphql/http-cache';
import { InputValidationPipe } from '../graphql/input-validation.pipe';
import { listMultiplyingEstimator } from '../graphql/query-cost';
import { queryLimitRules } from '../graphql/query-limits';
import { operationTextProblems } from '../graphql/well-formed-input';
import { EligibilityQuery } from './eligibility.models';
import { EligibilityResolver } from './eligibility.resolver';
import { EligibilityService } from './eligibility.service';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when the fast path is on (see EligibilityFastPath); tests read its counters. */
    eligibilityFastPath?: EligibilityFastPath;
  }
}

/** The one operation answered here. */
const FIELD = 'checkEligibility';
const ARGUMENT = 'query';
/** Distinct query texts remembered, with or without a plan; past it the oldest is forgotten. */
const MAX_DOCUMENTS = 500;
/** Apollo's content type for a single result when the client accepts JSON. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** How to write one selected field of a result: its response key, and how to write its value. */
interface FieldPlan {
  key: string;
  /** Absent for `__typename`. */
  field?: GraphQLField<unknown, unknown>;
  type: GraphQLOutputType;
  /** For `__typename`: the parent type's name. */
  typename?: string;
  selection?: FieldPlan[];
}

/** A document the fast path answers: `checkEligibility(query: $var) { … }` and nothing else. */
interface Plan {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  field: FieldNode;
  selection: FieldPlan[];
  /** Estimated by the query-cost plugin's estimator on first use; undefined until then. */
  cost?: number;
}

/** What a request carries, once read from its body (POST) or its query string (GET). */
interface Params {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown>;
  /** GET: the query string, which the ETag covers. */
  search?: string;
}

/** Raised while writing a result that graphql-js would answer with an error: Apollo answers. */
class NotPlain extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface FastPathDependencies {
  service: EligibilityService;
  version: PublicDataVersion;
  clock: Clock;
  config: AppConfig;
  /** The schema Apollo serves; available once the application is initialised. */
  schema: () => GraphQLSchema;
}

/**
 * The hot operation without Apollo and graphql-js's per-request work (issue #13): a single
 * anonymous `checkEligibility` costs about half of its CPU in Apollo's request pipeline,
 * graphql-js's execution and their allocations, for an answer that is one service call.
 *
 * A Fastify `preHandler` on the GraphQL route, so it runs after everything the edge does for
 * every request (request id, security headers, rate limits, the body limit and JSON parser,
 * the refusal of batches) and before Apollo; the access log, `Connection: close` while
 * draining and the rest of `onSend`/`onResponse` apply to its answers too. It answers only
 * what it can answer exactly as Apollo would, and hands everything else to Apollo untouched:
 * - a document, parsed with the same token limit and validated once against the served
 *   schema with graphql-js's rules and ours (depth, aliases, root fields), that is one query
 *   whose only root field is `checkEligibility(query: $variable)`, without directives or
 *   fragments, selecting only fields that are plain properties of the answer (so `receipt`,
 *   whose resolver signs, and fields with arguments go to Apollo), each response key once;
 *   costed below the expensive mark by the same estimator as the query-cost plugin;
 * - from a caller without credentials (a request with `Authorization` goes to Apollo, which
 *   authenticates it); POST with a JSON body, or GET with Apollo's CSRF preflight header and
 *   no `If-None-Match` (the 304 is Apollo's); accepting `application/json`;
 * - whose variable coerces (graphql-js's `getVariableValues`), holds only text that can be
 *   stored (the well-formed-input check) and passes the resolver's own pipe and class
 *   (`InputValidationPipe`, `EligibilityQuery`); the operation is public (checked once);
 * - answered by the same `EligibilityService.check` without an error, and written with the
 *   schema's own serializers in the selection's order; a value graphql-js would refuse (a
 *   null where the schema says non-null) sends the request to Apollo.
 * Any refusal is Apollo's to write, with its codes and shapes: the fast path never writes an
 * error. A question that fails in the service is asked again by Apollo (a read; it fails the
 * same way). `GRAPHQL_FAST_PATH=false` turns it off.
 */
export class EligibilityFastPath {
  /** Requests answered here (the rest went to Apollo). */
  answered = 0;
  private readonly plans = new Map<string, Plan | null>();
  private readonly pipe = new InputValidationPipe();
  private readonly publicOperation: boolean;
  private schemaInUse?: GraphQLSchema;

  constructor(private readonly deps: FastPathDependencies) {
    const handler = Object.getOwnPropertyDescriptor(
      EligibilityResolver.prototype,
      'checkEligibility',
    )?.value as object;
    const policy = Reflect.getMetadata(ACCESS_POLICY, handler) as AccessPolicy | undefined;
    // If the operation ever stops being public, every request goes through the guard.
    this.publicOperation = policy?.kind === 'public';
  }

  register(fastify: FastifyInstance): void {
    fastify.decorate('eligibilityFastPath', this as EligibilityFastPath);
    fastify.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.url !== GRAPHQL_PATH || !this.publicOperation) return;
      const answered = await this.answer(request, reply);
      if (answered) return reply;
    });
  }

  /** True when the request was answered here. */
  private async answer(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const headers = request.headers;
    if (headers.authorization !== undefined) return false;
    const accept = headers.accept;
    if (accept !== undefined && accept !== '*/*' && accept !== 'application/json') return false;
    const params = this.params(request);
    if (!params) return false;
    const plan = this.planFor(params.query);
    if (!plan) return false;
    const name = plan.operation.name?.value ?? null;
    if (params.operationName !== null && params.operationName !== name) return false;

    const schema = this.schemaInUse!;
    const coerced = getVariableValues(
      schema,
      plan.operation.variableDefinitions ?? [],
      params.variables,
      { maxErrors: 50 },
    );
    if (coerced.errors) return false;
    if (plan.cost === undefined) {
      try {
        plan.cost = getComplexity({
          schema,
          query: plan.document,
          variables: params.variables,
          estimators: [listMultiplyingEstimator],
        });
      } catch {
        return false;
      }
    }
    const limits = this.deps.config;
    if (plan.cost > limits.graphqlLimits.maxCost || plan.cost >= limits.fairUse.expensiveCost)
      return false;
    if (operationTextProblems(plan.document, plan.operation, params.variables).length > 0)
      return false;
    const rootField = schema.getQueryType()!.getFields()[FIELD];
    const args = getArgumentValues(rootField, plan.field, coerced.coerced);

    let text: string;
    try {
      const query = (await this.pipe.transform(args[ARGUMENT], {
        type: 'custom',
        metatype: EligibilityQuery,
        data: ARGUMENT,
      })) as EligibilityQuery;
      const result = await this.deps.service.check(query);
      const data = { [plan.field.alias?.value ?? FIELD]: this.write(result, plan.selection) };
      // Apollo's layout of a response: errors, data, extensions, then a newline.
      text = `${JSON.stringify({ data })}\n`;
    } catch {
      // Refused input, a failure in the service, a value graphql-js would not serialize:
      // Apollo asks again and answers with its error.
      return false;
    }
    if (Buffer.byteLength(text) > limits.graphqlLimits.maxResponseBytes) return false;

    void reply.code(200).header('content-type', JSON_TYPE);
    if (params.search !== undefined) {
      void reply
        .header('etag', await publicReadEtag(this.deps.version, this.deps.clock, params.search))
        .header('vary', 'authorization')
        .header('cache-control', publicCacheControl(limits.httpCache));
    } else {
      void reply.header('cache-control', 'no-store');
    }
    request.graphqlOutcome = { operationName: name ?? params.operationName, errorCodes: [] };
    this.answered += 1;
    void reply.send(text);
    return true;
  }

  /** The operation as Apollo would read it, or undefined for anything unusual. */
  private params(request: FastifyRequest): Params | undefined {
    if (request.method === 'POST') {
      const body = request.body;
      if (!isRecord(body)) return undefined;
      for (const key of Object.keys(body)) {
        if (key !== 'query' && key !== 'variables' && key !== 'operationName') return undefined;
      }
      const { query, variables, operationName } = body;
      if (typeof query !== 'string' || !isRecord(variables)) return undefined;
      if (
        operationName !== undefined &&
        operationName !== null &&
        typeof operationName !== 'string'
      )
        return undefined;
      return { query, variables, operationName: operationName ?? null };
    }
    if (request.method !== 'GET') return undefined;
    const headers = request.headers;
    // Apollo's CSRF prevention: a GET must say it is not a simple browser request.
    if (!headers['apollo-require-preflight'] && !headers['x-apollo-operation-name'])
      return undefined;
    if (headers['content-type'] !== undefined || headers['if-none-match'] !== undefined)
      return undefined;
    // The same string the Apollo integration hands the cache plugin for the ETag.
    const search = new URL(request.url, `${request.protocol}://${request.hostname}/`).search;
    const searchParams = new URLSearchParams(search);
    for (const key of searchParams.keys()) {
      if (key !== 'query' && key !== 'variables' && key !== 'operationName') return undefined;
    }
    const once = (key: string) => {
      const values = searchParams.getAll(key);
      return values.length === 1 ? values[0] : values.length === 0 ? null : undefined;
    };
    const query = once('query');
    const operationName = once('operationName');
    const variablesText = once('variables');
    if (!query || operationName === undefined || !variablesText) return undefined;
    let variables: unknown;
    try {
      variables = JSON.parse(variablesText);
    } catch {
      return undefined;
    }
    if (!isRecord(variables)) return undefined;
    return { query, variables, operationName, search };
  }

  /** The plan of a query text, made once per text; null when Apollo must answer it. */
  private planFor(query: string): Plan | null {
    const known = this.plans.get(query);
    if (known !== undefined) return known;
    // Most documents are not this operation: not worth parsing twice.
    const plan = query.includes(FIELD) ? this.makePlan(query) : null;
    this.plans.set(query, plan);
    if (this.plans.size > MAX_DOCUMENTS) this.plans.delete(this.plans.keys().next().value!);
    return plan;
  }

  private makePlan(query: string): Plan | null {
    const schema = (this.schemaInUse ??= this.deps.schema());
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.deps.config.graphqlLimits.maxTokens });
    } catch {
      return null;
    }
    const rules = [...specifiedRules, ...queryLimitRules(this.deps.config.graphqlLimits)];
    if (validate(schema, document, rules).length > 0) return null;
    if (document.definitions.length !== 1) return null;
    const operation = document.definitions[0];
    if (operation.kind !== Kind.OPERATION_DEFINITION) return null;
    if (operation.operation !== OperationTypeNode.QUERY || operation.directives?.length)
      return null;
    const variables = operation.variableDefinitions ?? [];
    if (variables.length !== 1 || variables[0].defaultValue || variables[0].directives?.length)
      return null;
    const roots = operation.selectionSet.selections;
    if (roots.length !== 1 || roots[0].kind !== Kind.FIELD) return null;
    const field = roots[0];
    if (field.name.value !== FIELD || field.directives?.length || !field.selectionSet) return null;
    const args = field.arguments ?? [];
    if (
      args.length !== 1 ||
      args[0].name.value !== ARGUMENT ||
      args[0].value.kind !== Kind.VARIABLE ||
      args[0].value.name.value !== variables[0].variable.name.value
    )
      return null;
    const rootField = schema.getQueryType()!.getFields()[FIELD];
    const selection = this.planSelection(rootField.type, field.selectionSet);
    if (!selection) return null;
    return { document, operation, field, selection };
  }

  /** The plan of a selection on `type` (an object type, or a list or non-null of one). */
  private planSelection(type: GraphQLOutputType, set: SelectionSetNode): FieldPlan[] | null {
    let named: GraphQLOutputType = type;
    while (named instanceof GraphQLNonNull || named instanceof GraphQLList) named = named.ofType;
    // Interfaces and unions resolve their type at run time: Apollo's.
    if (!(named instanceof GraphQLObjectType) || named.isTypeOf) return null;
    const fields = named.getFields();
    const plans: FieldPlan[] = [];
    const keys = new Set<string>();
    for (const selection of set.selections) {
      if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
      if (selection.arguments?.length) return null;
      const key = selection.alias?.value ?? selection.name.value;
      // graphql-js merges repeated keys; plans do not.
      if (keys.has(key)) return null;
      keys.add(key);
      if (selection.name.value === '__typename') {
        plans.push({ key, type: named, typename: named.name });
        continue;
      }
      const field = fields[selection.name.value];
      // Only plain properties (Nest's default resolver); a field resolver is Apollo's.
      if (!field || field.resolve?.name !== 'rootFieldResolver' || field.args.length) return null;
      const plan: FieldPlan = { key, field, type: field.type };
      if (selection.selectionSet) {
        const below = this.planSelection(field.type, selection.selectionSet);
        if (!below) return null;
        plan.selection = below;
      } else if (!isLeafType(unwrap(field.type))) {
        return null;
      }
      plans.push(plan);
    }
    return plans;
  }

  /** `source`'s selected fields, as graphql-js's execution would complete them. */
  private write(source: unknown, selection: FieldPlan[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const plan of selection) {
      if (!plan.field) {
        out[plan.key] = plan.typename;
        continue;
      }
      const value = (plan.field.resolve as (root: unknown) => unknown)(source);
      out[plan.key] = this.complete(plan.type, value, plan.selection);
    }
    return out;
  }

  private complete(type: GraphQLOutputType, value: unknown, selection?: FieldPlan[]): unknown {
    if (value instanceof Error || (isRecord(value) && typeof value.then === 'function'))
      throw new NotPlain();
    if (type instanceof GraphQLNonNull) {
      if (value === null || value === undefined) throw new NotPlain();
      return this.complete(type.ofType, value, selection);
    }
    if (value === null || value === undefined) return null;
    if (type instanceof GraphQLList) {
      if (!Array.isArray(value)) throw new NotPlain();
      return value.map((item) => this.complete(type.ofType, item, selection));
    }
    if (isLeafType(type)) {
      const serialized: unknown = type.serialize(value);
      if (serialized === null || serialized === undefined) throw new NotPlain();
      return serialized;
    }
    if (typeof value !== 'object' || !selection) throw new NotPlain();
    return this.write(value, selection);
  }
}

function unwrap(type: GraphQLOutputType): GraphQLOutputType {
  let named = type;
  while (named instanceof GraphQLNonNull || named instanceof GraphQLList) named = named.ofType;
  return named;
}
