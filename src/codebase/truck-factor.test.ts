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
    // Creator Ann 1 change, Bob 5 changes: Ann 3.293+1.098+0.164-0.321 ln 6 = 3.97986; Bob 3.293+0.82-0.321 ln 2 = 3.89050.
    // Best is Ann; Bob/Ann = 0.9775 > 0.75: both are authors.
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
