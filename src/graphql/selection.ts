import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `name` directly under it, through fragments too.
 * For work a resolver can do ahead, together with what it must do anyway (a page's total in
 * the page's statement): a field under a skipped fragment counts as selected, which costs only
 * that work; answers never depend on it.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet);
      const fragment = selection.name.value;
      if (seen.has(fragment)) return false;
      seen.add(fragment);
      return within(info.fragments[fragment]?.selectionSet);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
