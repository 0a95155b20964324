import { ApolloServerPlugin } from '@apollo/server';
import {
  ASTNode,
  DirectiveNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
  VariableDefinitionNode,
} from 'graphql';
import { ErrorCode, FieldProblem, invalid } from '../common/errors';
import { MAX_TEXT_PROBLEMS, textProblem, textProblems } from '../common/text';

/** A problem and the argument it was found in, for the error's `locations`. */
export interface LocatedProblem extends FieldProblem {
  node: ASTNode;
}

/**
 * Every string the operation would hand to a resolver that cannot be stored (see
 * `textProblem`): in inline literals and in variables (keys of objects in them too, so the
 * values of JSON scalars are covered), in the arguments of every field at any depth, of
 * fragments and of directives. Each is named from its argument (`input.reason`,
 * `query.parameters[0].name`), the name resolvers and the argument pipe use. A variable
 * the client did not send is read from its default. At most `limit` problems.
 */
export function operationTextProblems(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limit = MAX_TEXT_PROBLEMS,
): LocatedProblem[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const definitions = new Map<string, VariableDefinitionNode>(
    (operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d]),
  );
  const problems: LocatedProblem[] = [];
  const seen = new Set<string>();
  /** `variable`: the variable the problems come from; one used twice at a path counts once. */
  const add = (found: FieldProblem[], node: ASTNode, variable?: string) => {
    for (const { field, message } of found) {
      const key = `${variable}\n${field}\n${message}`;
      if (problems.length >= limit || (variable !== undefined && seen.has(key))) continue;
      seen.add(key);
      problems.push({ field, message, node });
    }
  };

  const value = (node: ValueNode, path: string, argument: ASTNode): void => {
    switch (node.kind) {
      case Kind.STRING: {
        const message = textProblem(node.value);
        if (message) add([{ field: path, message }], argument);
        return;
      }
      case Kind.LIST:
        node.values.forEach((item, i) => value(item, `${path}[${i}]`, argument));
        return;
      case Kind.OBJECT:
        for (const field of node.fields)
          value(field.value, `${path}.${field.name.value}`, argument);
        return;
      case Kind.VARIABLE: {
        const name = node.name.value;
        if (Object.hasOwn(variables, name)) {
          add(textProblems(variables[name], path, limit), argument, name);
        } else {
          const fallback = definitions.get(name)?.defaultValue;
          if (fallback) value(fallback, path, argument);
        }
        return;
      }
      default:
        // Numbers, booleans, null and enum values (GraphQL names) hold no text.
        return;
    }
  };

  const directives = (nodes: readonly DirectiveNode[] | undefined) => {
    for (const directive of nodes ?? []) {
      for (const arg of directive.arguments ?? []) value(arg.value, arg.name.value, arg);
    }
  };

  const walked = new Set<string>();
  const selections = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      directives(selection.directives);
      if (selection.kind === Kind.FIELD) {
        for (const arg of selection.arguments ?? []) value(arg.value, arg.name.value, arg);
        if (selection.selectionSet) selections(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        selections(selection.selectionSet);
      } else {
        // Each fragment once: its arguments read the same variables wherever it is spread.
        const fragment = fragments.get(selection.name.value);
        if (fragment && !walked.has(fragment.name.value)) {
          walked.add(fragment.name.value);
          directives(fragment.directives);
          selections(fragment.selectionSet);
        }
      }
    }
  };

  directives(operation.directives);
  selections(operation.selectionSet);
  return problems;
}

/**
 * Refuses, before anything runs, an operation with text that cannot be stored: BAD_USER_INPUT
 * naming each field, HTTP 400, like a variable of the wrong type. Checked once here rather
 * than per argument in a pipe because this is the one point every value passes before any of
 * our code sees it: the access guard (which looks records up by argument values) runs before
 * pipes, field arguments of nested fields have no guard, and refusing the whole operation up
 * front means a mutation writes nothing, not even the root fields before the bad one.
 */
export function wellFormedInputPlugin(): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document, operation, request }) {
          if (!operation) return Promise.resolve();
          const problems = operationTextProblems(document, operation, request.variables ?? {});
          if (problems.length === 0) return Promise.resolve();
          const refusal = invalid(
            'input',
            problems.map(({ field, message }) => ({ field, message })),
          );
          return Promise.reject(
            new GraphQLError(refusal.message, {
              nodes: [...new Set(problems.map((p) => p.node))],
              originalError: refusal,
              // Apollo answers errors raised here with 500 unless told otherwise.
              extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
            }),
          );
        },
      });
    },
  };
}
