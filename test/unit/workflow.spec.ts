import { ListStatus } from '../../src/positive-lists/list-types';
import {
  ListAction,
  assertTransition,
  nextStatus,
  visibleStatus,
} from '../../src/positive-lists/workflow';

describe('list workflow (docs/domain.md section 2)', () => {
  const legal: [ListAction, ListStatus][] = [
    ['edit', ListStatus.DRAFT],
    ['submit', ListStatus.DRAFT],
    ['discard', ListStatus.DRAFT],
    ['publish', ListStatus.SUBMITTED],
    ['reject', ListStatus.SUBMITTED],
    ['withdraw', ListStatus.PUBLISHED],
  ];
  const all = Object.values(ListStatus);

  it.each(legal)('allows %s from %s', (action, status) => {
    expect(() => assertTransition(action, status, 3)).not.toThrow();
  });

  it.each(
    legal.flatMap(([action, from]) =>
      all.filter((s) => s !== from).map((s) => [action, s] as const),
    ),
  )('refuses %s from %s with INVALID_STATE naming the status', (action, status) => {
    expect(() => assertTransition(action, status, 3)).toThrow(
      expect.objectContaining({
        code: 'INVALID_STATE',
        message: expect.stringContaining(`it is ${status}`),
      }),
    );
  });

  it.each([
    ['submit', ListStatus.DRAFT, ListStatus.SUBMITTED],
    ['reject', ListStatus.SUBMITTED, ListStatus.DRAFT],
    ['publish', ListStatus.SUBMITTED, ListStatus.PUBLISHED],
    ['withdraw', ListStatus.PUBLISHED, ListStatus.WITHDRAWN],
  ] as const)('leads %s from %s to %s, as the table says', (action, from, to) => {
    expect(nextStatus(action, from, 3)).toBe(to);
  });

  it('gives no next status for an action that may not start there', () => {
    expect(() => nextStatus('publish', ListStatus.DRAFT, 3)).toThrow(
      'Cannot publish version 3: it is DRAFT; only a SUBMITTED version can be published',
    );
    expect(() => nextStatus('withdraw', ListStatus.SUPERSEDED, 3)).toThrow(/it is SUPERSEDED/);
  });

  it('shows a published version as SUPERSEDED once its successor has taken effect', () => {
    expect(visibleStatus(ListStatus.PUBLISHED, null, '2026-11-25')).toBe(ListStatus.PUBLISHED);
    expect(visibleStatus(ListStatus.PUBLISHED, '2026-11-26', '2026-11-25')).toBe(
      ListStatus.PUBLISHED,
    );
    expect(visibleStatus(ListStatus.PUBLISHED, '2026-11-25', '2026-11-25')).toBe(
      ListStatus.SUPERSEDED,
    );
    expect(visibleStatus(ListStatus.WITHDRAWN, '2026-11-01', '2026-11-25')).toBe(
      ListStatus.WITHDRAWN,
    );
  });
});
