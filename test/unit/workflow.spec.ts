import { ListStatus } from '../../src/positive-lists/list-types';
import { ListAction, assertTransition, visibleStatus } from '../../src/positive-lists/workflow';

describe('list workflow (DOMAIN.md section 6)', () => {
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

  it('shows a published version as SUPERSEDED once its successor has taken effect', () => {
    expect(visibleStatus('PUBLISHED', null, '2026-11-25')).toBe(ListStatus.PUBLISHED);
    expect(visibleStatus('PUBLISHED', '2026-11-26', '2026-11-25')).toBe(ListStatus.PUBLISHED);
    expect(visibleStatus('PUBLISHED', '2026-11-25', '2026-11-25')).toBe(ListStatus.SUPERSEDED);
    expect(visibleStatus('WITHDRAWN', '2026-11-01', '2026-11-25')).toBe(ListStatus.WITHDRAWN);
  });
});
