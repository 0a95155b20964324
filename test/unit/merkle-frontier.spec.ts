import { MerkleFrontier, leafHash, merkleRoot } from '../../src/audit/merkle';

describe('MerkleFrontier', () => {
  const leaves = Array.from({ length: 70 }, (_, i) => leafHash(`event ${i}`));

  it('gives the same root as the recursive RFC 6962 definition for every size 1..70', () => {
    const frontier = new MerkleFrontier();
    leaves.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.size).toBe(i + 1);
      expect(frontier.root()).toBe(merkleRoot(leaves.slice(0, i + 1)));
    });
  });

  it('resumes from its JSON state exactly where it left off', () => {
    const first = new MerkleFrontier();
    leaves.slice(0, 37).forEach((l) => first.append(l));
    const resumed = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    leaves.slice(37).forEach((l) => resumed.append(l));
    expect(resumed.root()).toBe(merkleRoot(leaves));
    expect(resumed.size).toBe(70);
  });

  it('changes its root when any leaf changes', () => {
    const a = new MerkleFrontier();
    const b = new MerkleFrontier();
    leaves.slice(0, 13).forEach((l, i) => {
      a.append(l);
      b.append(i === 6 ? leafHash('tampered') : l);
    });
    expect(a.root()).not.toBe(b.root());
  });
});
