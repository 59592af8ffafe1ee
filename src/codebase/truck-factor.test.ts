import { describe, expect, it } from 'vitest';
import { degreeOfAuthorship, fileAuthors } from './authorship.js';
import { truckFactor } from './truck-factor.js';

describe('degreeOfAuthorship', () => {
  it('is the Fritz et al. linear model', () => {
    // Creator with 3 changes and 2 by others: 3.293 + 1.098 + 0.492 - 0.321 ln 3 = 4.883 - 0.35265 = 4.53035.
    expect(degreeOfAuthorship(true, 3, 2)).toBeCloseTo(4.53035, 4);
    expect(degreeOfAuthorship(false, 0, 0)).toBe(3.293);
  });

  it('makes authors of those above 0.75 of the best DOA and at least 3.293', () => {
    // Ann created the file (her only change: not a delivery), Bob made the 5 later changes.
    // Ann FA=1 DL=0 AC=5: 3.293+1.098-0.321 ln 6 = 3.81583; Bob DL=5 AC=0: 3.293+0.82 = 4.113.
    // Best is Bob; Ann/Bob = 0.928 > 0.75: both are authors.
    const file = {
      creator: 'Ann',
      createdAt: 0,
      deliveries: new Map([
        ['Ann', 1],
        ['Bob', 5],
      ]),
      changes: 6,
    };
    expect(fileAuthors(file)).toEqual(['Ann', 'Bob']);
  });

  it("keeps the creator as an author below 3.293, as the authors' tool does (DOA >= 3.293 or first author)", () => {
    // Ann created the file; 30 others made one change each. Ann FA=1 DL=0 AC=30: 4.391-0.321 ln 31 = 3.28873 < 3.293,
    // yet the best DOA on the file (the others: 3.457-0.321 ln 30 = 2.36522, ratio 0.719): an author only as first author.
    const deliveries = new Map([['Ann', 1], ...Array.from({ length: 30 }, (_, i) => [`dev${i}`, 1] as [string, number])]);
    expect(fileAuthors({ creator: 'Ann', createdAt: 0, deliveries, changes: 31 })).toEqual(['Ann']);
  });
});

describe('truckFactor', () => {
  it('removes the developer with most files until fewer than half the files have an author', () => {
    // 4 files: Ann authors f1 f2 f3, Bob f3 f4, Cy f4. Remove Ann (3): f3 (Bob), f4 covered = 2/4 = 50%, continue;
    // remove Bob (2, ties none): f4 (Cy) = 1/4 < 50%: truck factor 2.
    const result = truckFactor(
      new Map([
        ['f1', ['Ann']],
        ['f2', ['Ann']],
        ['f3', ['Ann', 'Bob']],
        ['f4', ['Bob', 'Cy']],
      ]),
    );
    expect(result.truckFactor).toBe(2);
    expect(result.developers.map((d) => [d.name, d.authoredFiles, d.soleFiles, d.coverageAfter])).toEqual([
      ['Ann', 3, ['f1', 'f2'], 0.5],
      ['Bob', 2, [], 0.25],
    ]);
  });

  it('breaks ties by name and is 0 when fewer than half the files have an author to begin with', () => {
    const tie = truckFactor(
      new Map([
        ['f1', ['Bob']],
        ['f2', ['Ann']],
      ]),
    );
    // Ann and Bob author one file each: Ann goes first (50% left), then Bob (0%).
    expect(tie.developers.map((d) => d.name)).toEqual(['Ann', 'Bob']);
    expect(tie.truckFactor).toBe(2);
    expect(
      truckFactor(
        new Map([
          ['f1', ['Ann']],
          ['f2', []],
          ['f3', []],
        ]),
      ).truckFactor,
    ).toBe(0);
    expect(truckFactor(new Map()).truckFactor).toBe(0);
  });
});
