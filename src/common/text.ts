import { FieldProblem } from './errors';

/**
 * Why `text` cannot be stored as given, or undefined when it can. PostgreSQL refuses NUL in
 * text and jsonb (an error the client would see as a fault of ours), and it stores a lone
 * UTF-16 surrogate as U+FFFD: a value hashed into the audit log as JavaScript holds it would
 * then never verify again, and the log cannot be corrected. So both are refused at the edge.
 */
export function textProblem(text: string): string | undefined {
  if (!text.isWellFormed()) {
    return 'is not well-formed Unicode: it contains a lone UTF-16 surrogate';
  }
  if (text.includes('\u0000')) return 'contains a NUL character, which cannot be stored';
  return undefined;
}

/** True when `text` can be stored and read back exactly (see {@link textProblem}). */
export const isWellFormedText = (text: string): boolean => textProblem(text) === undefined;

/** Enough to show a client what is wrong without an unbounded error for a body full of them. */
export const MAX_TEXT_PROBLEMS = 10;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `path.key` for names, `path["any key"]` otherwise (escaped, so the path itself is sound). */
export const memberPath = (path: string, key: string): string =>
  IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * Every string in a JSON value, object keys included, that cannot be stored, each named by
 * its path from `path` (`input.criteria[0].values[1]`); at most `limit`. Walks with a stack
 * instead of recursion, so a deeply nested value from a request body cannot exhaust the
 * call stack.
 */
export function textProblems(
  value: unknown,
  path: string,
  limit = MAX_TEXT_PROBLEMS,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // A pending item is a value still to walk or a key already found wrong, kept in order.
  const pending: ({ value: unknown; path: string } | { problem: FieldProblem })[] = [
    { value, path },
  ];
  while (pending.length > 0 && problems.length < limit) {
    const next = pending.pop()!;
    if ('problem' in next) {
      problems.push(next.problem);
    } else if (typeof next.value === 'string') {
      const message = textProblem(next.value);
      if (message) problems.push({ field: next.path, message });
    } else if (Array.isArray(next.value)) {
      // Pushed in reverse so that problems come out in document order.
      for (let i = next.value.length - 1; i >= 0; i--) {
        pending.push({ value: next.value[i], path: `${next.path}[${i}]` });
      }
    } else if (next.value !== null && typeof next.value === 'object') {
      const entries = Object.entries(next.value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i];
        const at = memberPath(next.path, key);
        pending.push({ value: member, path: at });
        const message = textProblem(key);
        if (message) pending.push({ problem: { field: at, message: `key ${message}` } });
      }
    }
  }
  return problems;
}
