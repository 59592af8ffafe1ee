import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ValidationError } from '../../shared/errors.js';
import { makeTempDir } from '../../test-support/stores.js';
import { loadDefinitions, parseDefinitions } from '../definitions/load-definitions.js';
import { prometheusRuleFile } from './rules.js';
import { promtoolAvailable } from '../../test-support/external-tools.js';

const run = promisify(execFile);
const testdata = path.join(import.meta.dirname, '..', '..', 'test-support', 'testdata', 'reliability');
const promtoolDir = path.join(testdata, 'promtool');

/** promtool from Debian's prometheus package; its exit code is the verdict. */
async function promtool(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('promtool', args, { cwd: promtoolDir });
  return stdout + stderr;
}

describe.skipIf(!promtoolAvailable())('generated Prometheus rules', () => {
  it('the committed rule files are what the generator writes today', () => {
    // rules.yaml and sloth-rules.yaml are the inputs of the promtool tests below; keep them current.
    // Compared as data: the committed files are laid out by prettier.
    const committed = (name: string) => parse(fs.readFileSync(path.join(promtoolDir, name), 'utf8')) as unknown;
    const sextant = prometheusRuleFile(loadDefinitions([path.join(promtoolDir, 'slos.yaml')]).slos, 'sextant');
    const sloth = prometheusRuleFile(loadDefinitions([path.join(testdata, 'sloth', 'myservice.yaml')]).slos, 'sloth');
    expect(parse(sextant)).toEqual(committed('rules.yaml'));
    expect(parse(sloth)).toEqual(committed('sloth-rules.yaml'));
  });

  it('pass promtool check rules', async () => {
    const output = await promtool('check', 'rules', 'rules.yaml', 'sloth-rules.yaml');
    // promtool exits 0 on lint findings (duplicate rules) but prints FAILED: none allowed.
    expect(output).not.toContain('FAILED');
    expect(output).toContain('SUCCESS: 87 rules found');
    expect(output).toContain('SUCCESS: 17 rules found');
  });

  it('fire and resolve as designed under promtool test rules (default and Sloth-compatible)', async () => {
    const output = await promtool('test', 'rules', 'rules.test.yaml', 'sloth-rules.test.yaml');
    expect(output.match(/SUCCESS/g)).toHaveLength(2);
  });

  it('generate valid rules for the example definitions, calendar and time-slice SLOs included', async () => {
    const dir = makeTempDir('sextant-rules-');
    try {
      const file = path.join(dir, 'rules.yaml');
      fs.writeFileSync(file, prometheusRuleFile(loadDefinitions([path.join(testdata, 'openslo')]).slos, 'sextant'));
      const output = await promtool('check', 'rules', file);
      expect(output).toContain('SUCCESS');
      expect(output).not.toContain('FAILED');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse queries they cannot turn into rates, naming the query in its file', () => {
    const set = parseDefinitions(
      `apiVersion: openslo/v1
kind: SLO
metadata: { name: s }
spec:
  service: api
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
  indicator:
    metadata: { name: i }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(ok_total[5m])) by (job)' } } }
        total: { metricSource: { type: Datadog, spec: { query: 'sum:requests{*}' } } }
`,
      'slos.yaml',
    );
    let error: unknown;
    try {
      prometheusRuleFile(set.slos, 'sextant');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      {
        field: 'spec.indicator.spec.ratioMetric.total.metricSource.spec.query',
        file: 'slos.yaml',
        line: 13,
        column: 64,
        message: 'Prometheus rules need a Prometheus metric source, not Datadog',
      },
    ]);
  });
});
