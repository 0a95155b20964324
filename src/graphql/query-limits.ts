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

    const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const below = selection.selectionSet ? depthOf(selection.selectionSet, seen) : 0;
          deepest = Math.max(deepest, 1 + below);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue; // other rules report unknown or cyclic fragments
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
        }
        if (deepest > limits.maxDepth) return deepest;
      }
      return deepest;
    };

    const rootFieldCount = (set: SelectionSetNode, seen: Set<string>): number =>
      set.selections.reduce((count, selection) => {
        if (selection.kind === Kind.FIELD) return count + 1;
        if (selection.kind === Kind.INLINE_FRAGMENT)
          return count + rootFieldCount(selection.selectionSet, seen);
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(selection.name.value)) return count;
        return (
          count + rootFieldCount(fragment.selectionSet, new Set([...seen, selection.name.value]))
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
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > limits.maxDepth) {
          context.reportError(
            limitError(`Query is too deep: at most ${limits.maxDepth} levels are allowed`),
          );
        }
        if (rootFieldCount(node.selectionSet, new Set()) > limits.maxRootFields) {
          context.reportError(
            limitError(`Too many root fields: at most ${limits.maxRootFields} per operation`),
          );
        }
      },
    };
  };
  return [rule];
}
