import { describe, expect, it } from 'vitest';
import { addBusinessDays, blamelessCheck, budgetShareRequiresPostmortem, postmortemReasons } from './postmortem.js';

describe('postmortem rules', () => {
  it('flags sentences that blame a person, never neutral ones', () => {
    const names = ['Dana Scully', 'Fox Mulder', 'Walter S.'];
    const found = blamelessCheck(
      {
        rootCauses:
          'Dana Scully forgot to drain the node. The drain step is manual. Fox accidentally deleted the volume. Dana reviewed the change the day before.',
        wentWrong: 'This was human error. We should have known the cache was cold. The alert fired late.',
        detection: "It was Fox's mistake.",
      },
      names,
    );
    // By hand: the 1st and 3rd root-cause sentences (a name, then a failure verb), both went-wrong phrases,
    // and the possessive "Fox's mistake". "Dana reviewed the change" names a person without a failure verb.
    expect(found.map((f) => [f.section, f.phrase])).toEqual([
      ['rootCauses', 'Dana Scully forgot'],
      ['rootCauses', 'Fox accidentally'],
      ['wentWrong', 'human error'],
      ['wentWrong', 'should have known'],
      ['detection', "Fox's mistake"],
    ]);
    expect(blamelessCheck({ summary: 'The deploy pipeline skipped the migration check.' }, names)).toEqual([]);
  });

  it('counts business days, and shares the release gate’s budget threshold', () => {
    // Friday 7 June 2024 12:00 + 5 business days = Friday 14 June (the weekend skipped); Monday + 5 = next Monday.
    expect(new Date(addBusinessDays(Date.parse('2024-06-07T12:00:00Z'), 5)).toISOString()).toBe('2024-06-14T12:00:00.000Z');
    expect(new Date(addBusinessDays(Date.parse('2024-06-03T11:00:00Z'), 5)).toISOString()).toBe('2024-06-10T11:00:00.000Z');
    // More than 20%, strictly.
    expect(budgetShareRequiresPostmortem(0.2)).toBe(false);
    expect(budgetShareRequiresPostmortem(0.2001)).toBe(true);
    expect(postmortemReasons({ severity: 'SEV3', dataLoss: true, drill: false }, [{ slo: 'a', share: 0.25 }])).toEqual([
      'data loss',
      "spent 25.0% of a's error budget (more than 20%)",
    ]);
    expect(postmortemReasons({ severity: 'SEV1', dataLoss: false, drill: true }, [])).toEqual([]);
  });
});
