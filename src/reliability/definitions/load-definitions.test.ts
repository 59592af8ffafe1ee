import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldIssue } from '../../shared/errors.js';
import { makeTempDir } from '../../test-support/stores.js';
import { loadDefinitions, parseDefinitions } from './load-definitions.js';

const testdata = path.join(import.meta.dirname, '..', '..', 'test-support', 'testdata', 'reliability');

function issuesOf(text: string): FieldIssue[] {
  try {
    parseDefinitions(text, 'slos.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

const sloDoc = (spec: string, name = 'api-availability') => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
${spec}`;

const ratioIndicator = `  indicator:
    metadata:
      name: api-success
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{code!~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total
`;

describe('OpenSLO v1 definitions', () => {
  it('reads a directory: services, data sources, referenced and inline SLIs, alert policies, policy and maintenance', () => {
    const set = loadDefinitions([path.join(testdata, 'openslo'), path.join(testdata, 'sloth')]);
    expect(set.slos.map((s) => s.name)).toEqual(['checkout-availability', 'checkout-latency', 'myservice-requests-availability']);
    const [availability, latency, sloth] = set.slos;
    expect(availability).toMatchObject({
      service: 'checkout',
      target: 0.999,
      budgetingMethod: 'Occurrences',
      window: { kind: 'rolling', duration: { count: 30, unit: 'd' } },
      labels: { team: 'checkout' },
      alerting: { source: 'workbook', minEvents: 100 },
    });
    expect(availability?.indicator).toMatchObject({
      kind: 'ratio',
      counter: true,
      good: { type: 'Prometheus', dataSource: 'prometheus', query: 'http_requests_total{service="checkout",code!~"5.."}' },
    });
    expect(availability?.alerting.conditions.map((c) => c.factor)).toEqual([14.4, 6, 3, 1]);
    expect(latency).toMatchObject({
      target: 0.99,
      budgetingMethod: 'Timeslices',
      timeSlicing: { sliceMs: 60_000, target: 0.95, op: 'gte' },
      window: { kind: 'calendar', timeZone: 'Europe/London', startTime: { year: 2024, month: 1, day: 1, hour: 0 } },
      alerting: { source: 'alert-policies', minEvents: 50 },
    });
    // lookbackWindow 1h -> short window 1h/12 = 5m; alertAfter 2m -> for: 2m.
    expect(latency?.alerting.conditions).toEqual([
      { tier: 'page', longWindowMs: 3_600_000, shortWindowMs: 300_000, factor: 10, budgetShare: null, forMs: 120_000 },
    ]);
    expect(latency?.location).toMatchObject({ file: expect.stringContaining('checkout.yaml'), line: 55 });
    expect(sloth).toMatchObject({ service: 'myservice', target: 99.9 / 100, format: 'sloth' });
    expect(set.services).toEqual([{ name: 'checkout', displayName: 'Checkout', description: 'Cart to order confirmation' }]);
    expect(set.dataSources).toEqual([{ name: 'prometheus', type: 'Prometheus', connectionDetails: { url: 'http://127.0.0.1:1' } }]);
    expect(set.policies[0]?.rules.map((r) => [r.name, r.action, r.exceptLabels])).toEqual([
      ['release-freeze', 'freeze', ['P0', 'security']],
      ['budget-low', 'warn', []],
      ['postmortem', 'requirePostmortem', []],
    ]);
    expect(set.maintenanceWindows).toEqual([
      {
        name: 'checkout-db-upgrade',
        service: 'checkout',
        slos: ['checkout-availability'],
        start: Date.UTC(2024, 5, 1, 2),
        end: Date.UTC(2024, 5, 1, 2, 30),
        description: null,
      },
    ]);
  });

  it('accepts a list of objects in one document, targetPercent, bad/total and thresholds', () => {
    const set = parseDefinitions(
      `- apiVersion: openslo/v1
  kind: SLO
  metadata: { name: errors }
  spec:
    service: api
    budgetingMethod: Occurrences
    indicator:
      metadata: { name: errors-sli }
      spec:
        ratioMetric:
          bad: { metricSource: { type: Prometheus, spec: { query: errors_total } } }
          total: { metricSource: { type: Prometheus, spec: { query: requests_total } } }
    objectives: [{ targetPercent: 99.5 }]
- apiVersion: openslo/v1
  kind: SLO
  metadata: { name: latency-p99 }
  spec:
    service: api
    budgetingMethod: Timeslices
    indicator:
      metadata: { name: p99 }
      spec:
        thresholdMetric: { metricSource: { type: Prometheus, spec: { query: p99_seconds } } }
    objectives: [{ op: lte, value: 0.3, target: 0.99, timeSliceTarget: 1, timeSliceWindow: 5 }]
`,
      'list.yaml',
    );
    expect(set.slos[0]).toMatchObject({
      name: 'errors',
      target: 0.995,
      indicator: { kind: 'ratio', good: null, bad: { query: 'errors_total' } },
    });
    // timeSliceWindow 5 (a bare number) means 5 minutes (OpenSLO v1).
    expect(set.slos[1]).toMatchObject({
      indicator: { kind: 'threshold', op: 'lte', threshold: 0.3 },
      timeSlicing: { sliceMs: 300_000, target: 1 },
    });
  });

  it('names each objective of a multi-objective SLO', () => {
    const set = parseDefinitions(
      sloDoc(`  service: api
${ratioIndicator}  budgetingMethod: Occurrences
  objectives:
    - displayName: Good
      target: 0.99
    - displayName: Great
      target: 0.999
`),
      'multi.yaml',
    );
    expect(set.slos.map((s) => [s.name, s.target])).toEqual([
      ['api-availability-good', 0.99],
      ['api-availability-great', 0.999],
    ]);
  });
});

describe('invalid definitions name the file, line and field, and return nothing', () => {
  it('unknown kind', () => {
    expect(issuesOf('apiVersion: openslo/v1\nkind: SLOO\nmetadata:\n  name: x\nspec: {}\n')).toEqual([
      {
        field: 'kind',
        file: 'slos.yaml',
        line: 2,
        column: 7,
        message:
          'unknown kind "SLOO" for openslo/v1 (known: Service, SLO, SLI, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget)',
      },
    ]);
  });

  it('target outside (0, 1), with a hint for percentages', () => {
    const issues = issuesOf(
      sloDoc(`  service: api
${ratioIndicator}  budgetingMethod: Occurrences
  objectives:
    - target: 99.9
`),
    );
    expect(issues).toEqual([
      {
        field: 'spec.objectives[0].target',
        file: 'slos.yaml',
        line: 25,
        column: 15,
        message: '99.9 is outside (0, 1): a target is a fraction such as 0.999; for a percentage write targetPercent: 99.9',
      },
    ]);
    expect(
      issuesOf(sloDoc(`  service: api\n${ratioIndicator}  budgetingMethod: Occurrences\n  objectives:\n    - target: 1\n`))[0],
    ).toMatchObject({
      field: 'spec.objectives[0].target',
      message: expect.stringContaining('outside (0, 1)'),
    });
  });

  it('1m (a minute) where a month was meant, and 1M (a month) where a minute was meant', () => {
    // A calendar window of minutes cannot exist: OpenSLO's own example (examples/budgeting-method/
    // timeslices-slo.yaml, "Contracts often are for 1 month time window") writes "1m" for a month,
    // so it is read as 1M with a located warning. A rolling "1m" stays an error.
    const calendar = parseDefinitions(
      sloDoc(`  service: api
${ratioIndicator}  timeWindow:
    - duration: 1m
      isRolling: false
      calendar: { startTime: 2024-01-01 00:00:00, timeZone: UTC }
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
`),
      'slos.yaml',
    );
    expect(calendar.slos[0]?.window).toMatchObject({ kind: 'calendar', duration: { count: 1, unit: 'M' } });
    expect(calendar.warnings).toEqual([
      {
        field: 'spec.timeWindow[0].duration',
        file: 'slos.yaml',
        line: 24,
        column: 17,
        message: '"1m" read as 1 month ("1M"): a calendar window of minutes does not exist; write "1M"',
      },
    ]);
    const window = issuesOf(
      sloDoc(`  service: api
${ratioIndicator}  timeWindow:
    - duration: 1m
      isRolling: true
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
`),
    );
    expect(window).toEqual([
      {
        field: 'spec.timeWindow[0].duration',
        file: 'slos.yaml',
        line: 24,
        column: 17,
        message: '"1m" is 1 minute: for months write "1M" (capital M), for days e.g. "30d"',
      },
    ]);
    const slice = issuesOf(
      sloDoc(`  service: api
${ratioIndicator}  budgetingMethod: Timeslices
  objectives: [{ target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: 1M }]
`),
    );
    expect(slice).toEqual([
      {
        field: 'spec.objectives[0].timeSliceWindow',
        file: 'slos.yaml',
        line: 24,
        column: 71,
        message: '"1M" is 1 month; for minutes write "1m" (lower-case m)',
      },
    ]);
  });

  it('missing references', () => {
    const issues = issuesOf(
      sloDoc(`  service: api
  indicatorRef: no-such-sli
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]
  alertPolicies: [no-such-policy]
`),
    );
    expect(issues).toEqual([
      {
        field: 'spec.indicatorRef',
        file: 'slos.yaml',
        line: 7,
        column: 17,
        message: 'no SLI named "no-such-sli" (no SLI is defined in the files given)',
      },
      {
        field: 'spec.alertPolicies[0]',
        file: 'slos.yaml',
        line: 10,
        column: 19,
        message: 'no AlertPolicy named "no-such-policy" (no AlertPolicy is defined in the files given)',
      },
    ]);
    const dataSource = issuesOf(
      `apiVersion: openslo/v1
kind: SLI
metadata: { name: s }
spec:
  thresholdMetric:
    metricSource:
      metricSourceRef: prom
---
${sloDoc(`  service: api\n  indicatorRef: s\n  budgetingMethod: Occurrences\n  objectives: [{ op: lt, value: 1, target: 0.9 }]\n`)}`,
    );
    expect(dataSource).toEqual([
      {
        field: 'spec.thresholdMetric.metricSource.metricSourceRef',
        file: 'slos.yaml',
        line: 7,
        column: 24,
        message: 'no DataSource named "prom" (no DataSource is defined in the files given)',
      },
    ]);
  });

  it('unknown fields at the key, bad YAML at its position, duplicates, calendar zone', () => {
    expect(
      issuesOf(
        sloDoc(`  service: api\n  servce: typo\n${ratioIndicator}  budgetingMethod: Occurrences\n  objectives: [{ target: 0.9 }]\n`),
      ),
    ).toEqual([{ field: 'spec.servce', file: 'slos.yaml', line: 7, column: 3, message: 'unknown field "servce"' }]);
    expect(issuesOf('apiVersion: openslo/v1\nkind: [unclosed\n')[0]).toMatchObject({ field: '(yaml)', file: 'slos.yaml', line: 3 });
    const twice = sloDoc(`  service: api\n${ratioIndicator}  budgetingMethod: Occurrences\n  objectives: [{ target: 0.9 }]\n`);
    expect(issuesOf(`${twice}---\n${twice}`)).toEqual([
      {
        field: 'metadata.name',
        file: 'slos.yaml',
        line: 29,
        column: 9,
        message: 'SLO "api-availability" is already defined at slos.yaml:4',
      },
    ]);
    expect(
      issuesOf(
        sloDoc(
          `  service: api\n${ratioIndicator}  timeWindow: [{ duration: 1M, calendar: { startTime: 2024-01-01 00:00:00, timeZone: Mars/Olympus } }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.9 }]\n`,
        ),
      ),
    ).toEqual([
      {
        field: 'spec.timeWindow[0].calendar.timeZone',
        file: 'slos.yaml',
        line: 23,
        column: 86,
        message: '"Mars/Olympus" is not an IANA time zone (e.g. Europe/London, UTC)',
      },
    ]);
  });

  it('Sloth specs: objective range and plugins, all problems at once', () => {
    const issues = issuesOf(`version: prometheus/v1
service: api
slos:
  - name: availability
    objective: 100
    sli:
      plugin:
        id: sloth-common/availability
`);
    expect(issues).toEqual([
      {
        field: 'slos[0].objective',
        file: 'slos.yaml',
        line: 5,
        column: 16,
        message: '100 is outside (0, 100): Sloth objectives are percentages such as 99.9',
      },
      {
        field: 'slos[0].sli.plugin',
        file: 'slos.yaml',
        line: 7,
        column: 7,
        message: 'Sloth SLI plugins are not supported: write the queries as events or raw',
      },
    ]);
  });

  it('collects problems from every file of a directory, and a missing path', () => {
    const dir = makeTempDir();
    try {
      fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: openslo/v2\nkind: SLO\n');
      fs.writeFileSync(path.join(dir, 'b.yml'), 'kind: SLO\n');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not read');
      let error: unknown;
      try {
        loadDefinitions([dir, path.join(dir, 'missing.yaml')]);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues.map((i) => [path.basename(i.file ?? ''), i.line, i.field, i.message.slice(0, 40)]);
      expect(issues).toEqual([
        ['missing.yaml', undefined, '(file)', 'no such file or directory'],
        ['a.yaml', 1, 'apiVersion', 'unsupported apiVersion "openslo/v2": Sex'],
        ['b.yml', 1, '(root)', 'needs apiVersion (openslo/v1 or sextant/'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
