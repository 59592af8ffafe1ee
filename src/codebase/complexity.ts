/**
 * Indentation-based complexity (Tornhill, "Your Code as a Crime Scene", ch. 6;
 * Hindle, Godfrey & Holt, "Reading beside the lines", 2008): the shape of the
 * indentation tracks the shape of the logic, in any language, without a
 * parser. Each non-blank line contributes its logical indentation: leading
 * spaces / 4 plus leading tabs (a tab is one level). Blank lines count for
 * nothing and are not lines of code.
 */
export interface FileComplexity {
  /** Non-blank lines. */
  lines: number;
  /** Sum of logical indentation over the lines. */
  total: number;
  /** total / lines (0 for an empty file). */
  mean: number;
  /** Deepest logical indentation of any line. */
  max: number;
}

const SPACES_PER_LEVEL = 4;

export function indentationComplexity(text: string): FileComplexity {
  let lines = 0;
  // Counted in quarter levels (one space = 1, one tab = 4) so sums are exact integers.
  let totalQuarters = 0;
  let maxQuarters = 0;
  let lineStart = 0;
  const length = text.length;
  while (lineStart <= length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = length;
    let quarters = 0;
    let i = lineStart;
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) quarters += 1;
      else if (c === 9) quarters += SPACES_PER_LEVEL;
      else break;
    }
    // A line is blank when only whitespace (or a \r) remains.
    let blank = true;
    for (let j = i; j < lineEnd; j++) {
      const c = text.charCodeAt(j);
      if (c !== 32 && c !== 9 && c !== 13) {
        blank = false;
        break;
      }
    }
    if (!blank) {
      lines++;
      totalQuarters += quarters;
      if (quarters > maxQuarters) maxQuarters = quarters;
    }
    lineStart = lineEnd + 1;
  }
  return complexityFromQuarters(lines, totalQuarters, maxQuarters);
}

/** The measure from its integer parts (how the store keeps it): quarter levels summed and at most. */
export function complexityFromQuarters(lines: number, totalQuarters: number, maxQuarters: number): FileComplexity {
  const total = totalQuarters / SPACES_PER_LEVEL;
  return { lines, total, mean: lines === 0 ? 0 : round2(total / lines), max: maxQuarters / SPACES_PER_LEVEL };
}

export function toQuarters(complexity: FileComplexity): { totalQuarters: number; maxQuarters: number } {
  return { totalQuarters: Math.round(complexity.total * SPACES_PER_LEVEL), maxQuarters: Math.round(complexity.max * SPACES_PER_LEVEL) };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
