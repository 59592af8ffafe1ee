import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it("handles quotes, doubled quotes, embedded newlines and CRLF, keeping each record's first line", () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\nlast,';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['multi\nline', 'z'] },
      { line: 5, cells: ['last', ''] },
    ]);
  });

  it('skips blank lines but keeps counting them, and treats a quote inside a field as text', () => {
    expect(parseCsv('a,b\n\n1,2\n\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['1', '2'] },
    ]);
    expect(parseCsv('5" screen,x')).toEqual([{ line: 1, cells: ['5" screen', 'x'] }]);
  });
});
