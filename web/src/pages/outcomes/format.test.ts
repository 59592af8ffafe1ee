import { describe, expect, it } from 'vitest';
import * as server from '../../../../src/outcomes/format.js';
import { metricUnits } from '../../../../src/outcomes/model.js';
import * as page from './format.js';

// The page cannot import server code, so it keeps its own copy of the readouts' number formatting;
// a readout and the page must still print every figure alike.
describe("the outcomes page's number formatting", () => {
  const values = [null, 0, -0, 1, -1, 0.5, 0.123456, -0.0049, 0.005, 12.345, 1234567.891, -98765.4321, 1e-9, 42];

  it('prints every unit, value and change as the readouts and the CLI do', () => {
    for (const unit of metricUnits) {
      for (const value of values) {
        expect(page.formatValue(unit, value), `${unit} ${value}`).toBe(server.formatValue(unit, value));
        expect(page.formatChange(unit, value), `${unit} ${value}`).toBe(server.formatChange(unit, value));
      }
    }
  });

  it('has the same box rows', () => {
    expect(page.BOX_ROWS).toEqual(server.BOX_ROWS);
  });
});
