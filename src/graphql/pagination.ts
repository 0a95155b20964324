import { Field, ObjectType } from '@nestjs/graphql';
import { badInput, fieldError } from '../common/errors';
import { isWellFormedText } from '../common/text';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Validates `first` (1..100, default 20). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw fieldError('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * Opaque keyset cursors: base64url of `<kind>:<key>`. Clients must not build them; the kind
 * keeps a cursor of one list from being replayed against another.
 */
export function encodeCursor(kind: string, key: string | number): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

export function decodeSeqCursor(kind: string, cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const decoded = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  const match = new RegExp(`^${kind}:(\\d{1,15})$`).exec(decoded);
  if (!match)
    throw badInput('after: not a cursor returned by this list', [
      { field: 'after', message: 'not a cursor returned by this list' },
    ]);
  return Number(match[1]);
}

/** Decodes a cursor whose key is a JSON array of strings (a composite keyset position). */
export function decodeKeyCursor(kind: string, cursor: string | null | undefined): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  const invalid = () =>
    badInput('after: not a cursor returned by this list', [
      { field: 'after', message: 'not a cursor returned by this list' },
    ]);
  const decoded = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  if (!decoded.startsWith(`${kind}:`)) throw invalid();
  try {
    const key: unknown = JSON.parse(decoded.slice(kind.length + 1));
    // A forged cursor can carry any JSON escape (\u0000, a lone surrogate) past the argument
    // check, which sees only base64url: its keys go to the database, so they are checked here.
    if (
      Array.isArray(key) &&
      key.length > 0 &&
      key.every((k): k is string => typeof k === 'string' && isWellFormedText(k))
    ) {
      return key;
    }
  } catch {
    /* fall through */
  }
  throw invalid();
}
