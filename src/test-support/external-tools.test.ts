import { afterEach, describe, expect, it, vi } from 'vitest';
import { externalTool } from './external-tools.js';

describe('externalTool', () => {
  const required = process.env.SEXTANT_REQUIRE_TOOLS;
  afterEach(() => {
    if (required === undefined) delete process.env.SEXTANT_REQUIRE_TOOLS;
    else process.env.SEXTANT_REQUIRE_TOOLS = required;
    vi.restoreAllMocks();
  });

  it('finds a program on PATH and an absolute path', () => {
    expect(externalTool('git', 'apt-get install -y git')).toBe(true);
    expect(externalTool(process.execPath, 'n/a')).toBe(true);
  });

  it('skips loudly when a program is missing, and fails when CI requires it', () => {
    delete process.env.SEXTANT_REQUIRE_TOOLS;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(externalTool('sextant-no-such-tool', 'apt-get install -y nothing')).toBe(false);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('Tests that need sextant-no-such-tool are SKIPPED');

    process.env.SEXTANT_REQUIRE_TOOLS = '1';
    expect(() => externalTool('/nonexistent/bin/tool', 'n/a')).toThrow('SKIPPED');
  });
});
