import { describe, expect, it } from 'vitest';
import { indentationComplexity } from './complexity.js';

describe('indentationComplexity', () => {
  it('counts a tab as one level and four spaces as one level, on non-blank lines only', () => {
    // Lines: "f()" 0, "\tif" 1, "\t\treturn" 2, "  x" 0.5, blank, "   \t" (whitespace only: blank), "}" 0.
    const text = 'f()\n\tif\n\t\treturn\n  x\n\n   \t\n}\n';
    expect(indentationComplexity(text)).toEqual({ lines: 5, total: 3.5, mean: 0.7, max: 2 });
  });

  it('handles CRLF line ends, a last line without newline and an empty file', () => {
    // "a" 0, "    b" 1, "c" 0 (no trailing newline): 3 lines, total 1, mean 0.33.
    expect(indentationComplexity('a\r\n    b\r\nc')).toEqual({ lines: 3, total: 1, mean: 0.33, max: 1 });
    expect(indentationComplexity('')).toEqual({ lines: 0, total: 0, mean: 0, max: 0 });
  });
});
