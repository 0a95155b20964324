import {
  ASTVisitor,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { GraphqlLimits } from '../config/config';

const limitError = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * Rejects abusive documents before execution: nesting deeper than `maxDepth` (introspection
 * fields excepted, so tools can load the schema), more than `maxAliases` aliases, more than
 * `maxRootFields` root fields in one operation. Token count is capped by the parser.
 */
export function queryLimitRules(limits: GraphqlLimits): ValidationRule[] {
  const rule = (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }

    // A fragment's depth and root-field count do not depend on where it is spread, so each
    // is computed once: re-walking fragments per spread would let a small document that
    // spreads fragments in a doubling chain take exponential time to validate.
    const fragmentDepth = new Map<string, number>();
    const fragmentRootFields = new Map<string, number>();
    const IN_PROGRESS = -1; // cycles are reported by graphql-js's own NoFragmentCycles rule

    const memoized = (
      memo: Map<string, number>,
      name: string,
      measure: (fragment: FragmentDefinitionNode) => number,
    ): number => {
      const known = memo.get(name);
      if (known !== undefined) return known === IN_PROGRESS ? 0 : known;
      const fragment = fragments.get(name);
      if (!fragment) return 0; // unknown fragments are reported by KnownFragmentNames
      memo.set(name, IN_PROGRESS);
      const value = measure(fragment);
      memo.set(name, value);
      return value;
    };

    const depthOf = (set: SelectionSetNode): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const below = selection.selectionSet ? depthOf(selection.selectionSet) : 0;
          deepest = Math.max(deepest, 1 + below);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet));
        } else {
          deepest = Math.max(
            deepest,
            memoized(fragmentDepth, selection.name.value, (f) => depthOf(f.selectionSet)),
          );
        }
      }
      return deepest;
    };

    const rootFieldCount = (set: SelectionSetNode): number =>
      set.selections.reduce((count, selection) => {
        if (selection.kind === Kind.FIELD) return count + 1;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          return count + rootFieldCount(selection.selectionSet);
        }
        return (
          count +
          memoized(fragmentRootFields, selection.name.value, (f) => rootFieldCount(f.selectionSet))
        );
      }, 0);

    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) {
          aliases += 1;
          if (aliases === limits.maxAliases + 1) {
            context.reportError(
              limitError(`Too many aliases: at most ${limits.maxAliases} are allowed`),
            );
          }
        }
      },
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet);
        if (depth > limits.maxDepth) {
          context.reportError(
            limitError(`Query is too deep: at most ${limits.maxDepth} levels are allowed`),
          );
        }
        if (rootFieldCount(node.selectionSet) > limits.maxRootFields) {
          context.reportError(
            limitError(`Too many root fields: at most ${limits.maxRootFields} per operation`),
          );
        }
      },
    };
  };
  return [rule];
}
