import { AuditEventView } from '../../src/audit/audit-event';
import { ChainVerifier, problemsMessage } from '../../src/audit/chain-verifier';
import { merkleRoot } from '../../src/audit/merkle';
import { chainOf, rechain } from '../support/event-chain';

const ALTERED = 'hash does not match the event content: the event was altered';

function verify(events: AuditEventView[], rootsWanted: number[] = [], listLimit?: number) {
  const verifier = new ChainVerifier(new Set(rootsWanted), listLimit);
  for (const event of events) verifier.check(event);
  return { verifier, verdict: verifier.verdict() };
}

describe('ChainVerifier', () => {
  const clean = chainOf(40);

  it('accepts an intact chain, with no problems', () => {
    const { verdict } = verify(clean);
    expect(verdict).toEqual({
      valid: true,
      eventsChecked: 40,
      headSeq: 40,
      headHash: clean[39].hash,
      firstInvalidSeq: null,
      message: '40 events verified; every hash and link is intact',
      problems: [],
      problemCount: 0,
    });
  });

  it('lists two altered events far apart as exactly two problems, and goes on to the end', () => {
    const events = clean.map((e) => ({ ...e }));
    events[2].reason = 'nothing to see here';
    events[36].actor = { ...events[36].actor, name: 'someone else' };
    const { verdict } = verify(events);
    expect(verdict.problems).toEqual([
      { seq: 3, message: `event 3: ${ALTERED}` },
      { seq: 37, message: `event 37: ${ALTERED}` },
    ]);
    expect(verdict).toMatchObject({
      valid: false,
      eventsChecked: 40,
      headSeq: 40,
      headHash: clean[39].hash,
      firstInvalidSeq: 3,
      message: `event 3: ${ALTERED} (2 problems in all)`,
      problemCount: 2,
    });
  });

  it('lists a removed event as one problem and still finds an edit after it', () => {
    const events = clean.filter((_, i) => i !== 9).map((e) => ({ ...e }));
    events[29].entityId = 'forged';
    const { verdict } = verify(events);
    expect(verdict.problems).toEqual([
      { seq: 11, message: 'event 11: expected seq 10 but found 11: events are missing before it' },
      { seq: 31, message: `event 31: ${ALTERED}` },
    ]);
    expect(verdict.eventsChecked).toBe(39);
  });

  it('lists a duplicated event once, and the chain goes on from the original', () => {
    const events = [...clean.slice(0, 6), clean[5], ...clean.slice(6)];
    expect(verify(events).verdict.problems).toEqual([
      {
        seq: 6,
        message: 'event 6: expected seq 7 but found 6: events are duplicated or out of order',
      },
    ]);
  });

  it('lists two swapped events as two problems, not one for every later event', () => {
    const events = [...clean];
    [events[3], events[4]] = [events[4], events[3]];
    expect(verify(events).verdict.problems).toEqual([
      { seq: 5, message: 'event 5: expected seq 4 but found 5: events are missing before it' },
      {
        seq: 4,
        message: 'event 4: expected seq 6 but found 4: events are duplicated or out of order',
      },
    ]);
  });

  it('takes an event that links to its predecessor as in its place when only its seq was changed', () => {
    const events = clean.map((e) => ({ ...e }));
    events[7].seq = 700;
    expect(verify(events).verdict.problems).toEqual([
      {
        seq: 700,
        message: `event 700: expected seq 8 but found 700: its seq was changed; ${ALTERED}`,
      },
    ]);
  });

  it('reports a broken link where the hash of the event before it was replaced', () => {
    // Event 12 re-hashed after an edit, event 13 left alone: 12 verifies on its own terms,
    // and the break shows at 13.
    const events = clean.map((e) => ({ ...e }));
    events[11].reason = 'rewritten';
    const forged = rechain(events, 11).slice(0, 12).concat(clean.slice(12));
    expect(verify(forged).verdict.problems).toEqual([
      {
        seq: 13,
        message: 'event 13: prevHash does not equal the hash of event 12: the chain is broken',
      },
    ]);
  });

  it('counts every problem but lists only up to the limit, and says so', () => {
    const events = clean.map((e) => ({ ...e, reason: 'all rewritten' }));
    const { verdict } = verify(events, [], 5);
    expect(verdict.problemCount).toBe(40);
    expect(verdict.problems.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verdict.message).toBe(`event 1: ${ALTERED} (40 problems, first 5 listed)`);
  });

  it('lists at least the first problem, whatever limit it is given', () => {
    const events = clean.map((e) => ({ ...e, reason: 'all rewritten' }));
    const { verdict } = verify(events, [], 0);
    expect(verdict).toMatchObject({ valid: false, firstInvalidSeq: 1, problemCount: 40 });
    expect(verdict.problems).toHaveLength(1);
  });

  it('lists at most 100 problems by default', () => {
    const events = chainOf(130).map((e) => ({ ...e, reason: 'all rewritten' }));
    const { verdict } = verify(events);
    expect(verdict.problemCount).toBe(130);
    expect(verdict.problems).toHaveLength(100);
    expect(verdict.message).toMatch(/\(130 problems, first 100 listed\)$/);
  });

  it('adds problems found outside the chain, such as checkpoints, to the same list', () => {
    const events = clean.map((e) => ({ ...e }));
    events[4].action = 'DELETE';
    const { verifier } = verify(events);
    verifier.report(null, 'checkpoint of 40 events: signature does not verify');
    expect(verifier.verdict()).toMatchObject({
      valid: false,
      firstInvalidSeq: 5,
      problemCount: 2,
      problems: [
        { seq: 5, message: `event 5: ${ALTERED}` },
        { seq: null, message: 'checkpoint of 40 events: signature does not verify' },
      ],
    });
  });

  it('is invalid with a problem found outside the chain alone', () => {
    const { verifier } = verify(clean);
    verifier.report(null, 'checkpoint of 40 events does not match the events');
    expect(verifier.verdict()).toMatchObject({
      valid: false,
      firstInvalidSeq: null,
      message: 'checkpoint of 40 events does not match the events',
    });
  });

  it('builds the Merkle tree over the events as stored, altered or not', () => {
    const events = clean.map((e) => ({ ...e }));
    events[20].reason = 'altered, hash kept';
    const { verifier } = verify(events, [25, 40]);
    const hashes = clean.map((e) => e.hash);
    expect(verifier.rootAt(25)).toBe(merkleRoot(hashes.slice(0, 25)));
    expect(verifier.rootAt(40)).toBe(merkleRoot(hashes));
    expect(verifier.root()).toBe(merkleRoot(hashes));
    expect(verifier.rootAt(30)).toBeUndefined();
  });

  it('resumes after something unreadable at the next event, as it stands', () => {
    const verifier = new ChainVerifier();
    clean.slice(0, 3).forEach((e) => verifier.check(e, `line ${e.seq}`));
    verifier.unreadable('line 4: is not valid JSON');
    clean.slice(4).forEach((e) => verifier.check(e, `line ${e.seq}`));
    expect(verifier.verdict()).toMatchObject({
      valid: false,
      eventsChecked: 39,
      headSeq: 40,
      problems: [{ seq: null, message: 'line 4: is not valid JSON' }],
    });
  });

  it('reports an event with no canonical form as a problem instead of throwing', () => {
    const events = clean.map((e) => ({ ...e }));
    events[1].after = { huge: Infinity };
    const { verdict } = verify(events);
    expect(verdict.problems).toEqual([
      {
        seq: 2,
        message: expect.stringMatching(
          /^event 2: the event has no canonical form, so it cannot match its hash: TypeError: JSON has no NaN or Infinity$/,
        ),
      },
    ]);
  });
});

describe('problemsMessage', () => {
  it.each([
    [1, 100, 'first'],
    [2, 100, 'first (2 problems in all)'],
    [100, 100, 'first (100 problems in all)'],
    [101, 100, 'first (101 problems, first 100 listed)'],
  ])('%d problems, %d listed', (count, listed, expected) => {
    expect(problemsMessage('first', count, listed)).toBe(expected);
  });
});
