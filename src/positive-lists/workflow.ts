import { DomainError, ErrorCode } from '../common/errors';
import { ListStatus } from './list-types';

/** What can happen to a list version (docs/domain.md section 2). */
export type ListAction = 'edit' | 'submit' | 'discard' | 'publish' | 'reject' | 'withdraw';

/** The one table of legal transitions: from which status each action may start. */
const FROM: Record<ListAction, ListStatus[]> = {
  edit: [ListStatus.DRAFT],
  submit: [ListStatus.DRAFT],
  discard: [ListStatus.DRAFT],
  publish: [ListStatus.SUBMITTED],
  reject: [ListStatus.SUBMITTED],
  withdraw: [ListStatus.PUBLISHED],
};

/** Where each transition leads (editing stays in DRAFT). */
const TO: Record<Exclude<ListAction, 'edit'>, ListStatus> = {
  submit: ListStatus.SUBMITTED,
  publish: ListStatus.PUBLISHED,
  reject: ListStatus.DRAFT,
  withdraw: ListStatus.WITHDRAWN,
  discard: ListStatus.DISCARDED,
};

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The status a client sees: a published version whose successor has taken effect
 * (effectiveUntil on or before `today`) is SUPERSEDED.
 */
export function visibleStatus(
  stored: ListStatus,
  effectiveUntil: string | null,
  today: string,
): ListStatus {
  if (stored === ListStatus.PUBLISHED && effectiveUntil !== null && effectiveUntil <= today) {
    return ListStatus.SUPERSEDED;
  }
  return stored;
}

/** Refuses an action the version's current status does not allow, saying which it is in. */
export function assertTransition(action: ListAction, status: ListStatus, version: number): void {
  if (FROM[action].includes(status)) return;
  const allowed = FROM[action].join(' or ');
  const done = action === 'edit' ? 'edited' : `${action}${action.endsWith('e') ? 'd' : 'ed'}`;
  throw new DomainError(
    ErrorCode.INVALID_STATE,
    `Cannot ${action} version ${version}: it is ${status}; only a ${allowed} version can be ${done}`,
  );
}

/** The status an action leads to, after checking it may start from `status`. */
export function nextStatus(
  action: keyof typeof TO,
  status: ListStatus,
  version: number,
): ListStatus {
  assertTransition(action, status, version);
  return TO[action];
}
