import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { makeTempDir } from '../../test-support/stores.js';
import { promtoolAvailable } from '../../test-support/external-tools.js';
import { loadDefinitions } from '../definitions/load-definitions.js';
import { prometheusRuleFile } from './rules.js';
import { goFloat, promDuration } from './sloth-rules.js';

/**
 * `slo rules --compat sloth` against Sloth v0.16. The generator was compared,
 * case by case, with slok/sloth's test/integration/prometheus/testdata
 * (in-base -> out-base, --disable-alerts -> out-base-no-alerts,
 * --disable-recordings -> out-base-no-recordings, -l -> out-base-extra-labels,
 * --default-slo-period 28d -> out-base-28d, --default-slo-period 7d
 * --slo-period-windows-path -> out-base-custom-windows-7d, in-multifile,
 * in-openslo, in-base-k8s, in-multifile-k8s): identical after folding
 * whitespace in expressions and leaving out the sloth_version label. The
 * other three cases run Sloth plugins, Go code from its test folder: the SLI
 * plugin case is refused with a message, and the two SLO plugin cases differ
 * only by the labels their plugin adds to sloth_slo_info. Those files are not
 * copied here; these are Sextant's own specs and the rules expected for them,
 * written with the same templates (Sloth's sli_rules, metadata_rules and
 * alert_rules plugins) and reviewed line by line.
 */
const dir = path.join(import.meta.dirname, '..', '..', 'test-support', 'testdata', 'reliability', 'sloth-compat');
const fold = (text: unknown) => String(text).replace(/\s+/g, ' ').trim();

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Group {
  name: string;
  rules: Rule[];
}

/** Every document's groups (PrometheusRule objects: their spec.groups), expressions and annotations whitespace-folded, sloth_version left out. */
function comparable(text: string): { objects: unknown[]; groups: Group[] } {
  const objects: unknown[] = [];
  const groups: Group[] = [];
  for (const doc of parseAllDocuments(text)) {
    const value = doc.toJS() as { kind?: string; metadata?: unknown; spec?: { groups: Group[] }; groups?: Group[] } | null;
    if (!value) continue;
    if (value.kind === 'PrometheusRule') {
      objects.push(value.metadata);
      groups.push(...(value.spec?.groups ?? []));
    } else groups.push(...(value.groups ?? []));
  }
  for (const group of groups) {
    for (const rule of group.rules) {
      rule.expr = fold(rule.expr);
      if (rule.labels) delete rule.labels.sloth_version;
      if (rule.annotations) rule.annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fold(v)]));
    }
  }
  return { objects, groups };
}

function generate(file: string, options: Parameters<typeof prometheusRuleFile>[2] = {}, period?: '28d'): string {
  const set = loadDefinitions([path.join(dir, file)], period ? { slothPeriod: { count: 28, unit: 'd', text: '28d' } } : {});
  return prometheusRuleFile(set.slos, 'sloth', options);
}

const expected = (file: string) => comparable(fs.readFileSync(path.join(dir, file), 'utf8'));

describe('slo rules --compat sloth reproduces Sloth v0.16', () => {
  it.each([
    ['payments.yaml', {}, 'payments.rules.yaml'],
    ['payments.yaml', { disableAlerts: true, extraLabels: { env: 'prod' } }, 'payments.no-alerts.rules.yaml'],
    ['payments-k8s.yaml', {}, 'payments-k8s.rules.yaml'],
    ['search-v1alpha.yaml', {}, 'search-v1alpha.rules.yaml'],
  ] as const)('%s %j -> %s: same groups, rules, expressions, labels and annotations', (input, options, output) => {
    expect(comparable(generate(input, options))).toEqual(expected(output));
  });

  it('has the properties Sloth 0.16 fixed: max() without sloth_window, user labels on every recording, no empty alerts group', () => {
    const { groups } = comparable(generate('payments.yaml'));
    const names = groups.map((g) => g.name);
    // refund-latency disables both alerts: Sloth writes no alerts group for it.
    expect(names).not.toContain('sloth-slo-alerts-payments-refund-latency');
    expect(names).toContain('sloth-slo-alerts-payments-charge-success');
    const period = groups[0]?.rules.find((r) => r.record === 'slo:sli_error:ratio_rate30d');
    // Sloth's sli_rules plugin merges the SLO id labels, the window and the service's and SLO's labels.
    expect(period?.labels).toEqual({
      journey: 'pay',
      sloth_id: 'payments-charge-success',
      sloth_service: 'payments',
      sloth_slo: 'charge-success',
      sloth_window: '30d',
      team: 'checkout',
      tier: '1',
    });
    const page = groups.find((g) => g.name === 'sloth-slo-alerts-payments-charge-success')?.rules[0];
    // Error budget (100 - 99.99) / 100 = 0.00010000000000005117 in binary floating point, printed as Go prints it.
    expect(page?.expr).toContain(
      'max(slo:sli_error:ratio_rate5m{sloth_id="payments-charge-success", sloth_service="payments", sloth_slo="charge-success"} > (14.4 * 0.00010000000000005117)) without (sloth_window) and max(',
    );
    expect(page?.labels).toEqual({ route: 'payments-oncall', sloth_severity: 'page' });
    // webhook-delivery's `pageAlert` is Kubernetes spelling, ignored in prometheus/v1 as Sloth does: its page alert stays.
    expect(groups.find((g) => g.name === 'sloth-slo-alerts-payments-webhook-delivery')?.rules.map((r) => r.labels?.sloth_severity)).toEqual(
      ['page'],
    );
  });

  it('scales the factors to 28 days as Sloth does (2% of 672 h over 1 h = 13.44; 5% over 6 h = 5.6000000000000005)', () => {
    const { groups } = comparable(generate('payments.yaml', {}, '28d'));
    const page = groups.find((g) => g.name === 'sloth-slo-alerts-payments-charge-success')?.rules[0];
    expect(page?.expr).toContain('> (13.44 * 0.00010000000000005117)');
    expect(page?.expr).toContain('> (5.6000000000000005 * 0.00010000000000005117)');
    expect(groups[0]?.rules.map((r) => r.record)).toContain('slo:sli_error:ratio_rate4w');
  });

  it('takes the alert windows of other periods from Sloth AlertWindows files (--slo-period-windows-path)', () => {
    // 14 days = 336 h; factor = share of the budget x 336 h / long window (Sloth's getBurnRateFactor, in binary floating point):
    // page 4% / 1 h = 13.44; page 10% / 6 h = 5.6000000000000005; ticket 20% / 24 h = 2.8000000000000003; ticket 30% / 72 h = 1.4.
    const set = loadDefinitions([path.join(dir, 'payments.yaml')], {
      slothPeriod: { count: 14, unit: 'd', text: '14d' },
      alertWindows: [path.join(dir, 'windows-14d.yaml')],
    });
    const slo = set.slos.find((s) => s.name === 'payments-charge-success');
    expect(slo?.alerting.source).toBe('alert-windows');
    const { groups } = comparable(prometheusRuleFile(set.slos, 'sloth', {}));
    const alerts = groups.find((g) => g.name === 'sloth-slo-alerts-payments-charge-success')?.rules ?? [];
    const [page, ticket] = alerts.map((r) => r.expr);
    expect(page).toContain(
      'ratio_rate5m{sloth_id="payments-charge-success", sloth_service="payments", sloth_slo="charge-success"} > (13.44 *',
    );
    expect(page).toContain(
      'ratio_rate6h{sloth_id="payments-charge-success", sloth_service="payments", sloth_slo="charge-success"} > (5.6000000000000005 *',
    );
    expect(ticket).toContain(
      'ratio_rate1d{sloth_id="payments-charge-success", sloth_service="payments", sloth_slo="charge-success"} > (2.8000000000000003 *',
    );
    expect(ticket).toContain(
      'ratio_rate3d{sloth_id="payments-charge-success", sloth_service="payments", sloth_slo="charge-success"} > (1.4 *',
    );
    expect(groups[0]?.rules.map((r) => r.record)).toContain('slo:sli_error:ratio_rate2w');
    // Without windows for 14 days the Workbook's tiers are scaled to the period (2% of 336 h over 1 h = 6.72).
    const workbook = loadDefinitions([path.join(dir, 'payments.yaml')], { slothPeriod: { count: 14, unit: 'd', text: '14d' } });
    expect(workbook.slos[0]?.alerting.source).toBe('workbook');
    expect(workbook.slos[0]?.alerting.conditions[0]?.factor).toBe(6.72);
  });

  it('rejects AlertWindows with a short window not shorter than the long one, or two sets for one period, naming file, line and field', () => {
    const bad = path.join(makeTempDir(), 'bad-windows.yaml');
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(path.join(dir, 'windows-14d.yaml'), 'utf8')
        .replace('shortWindow: 6h\n      longWindow: 3d', 'shortWindow: 3d\n      longWindow: 3d'),
    );
    expect(() => loadDefinitions([path.join(dir, 'payments.yaml')], { alertWindows: [bad] })).toThrow(
      expect.objectContaining({
        issues: [
          expect.objectContaining({
            field: 'spec.ticket.slow.shortWindow',
            line: 23,
            message: 'shortWindow must be shorter than longWindow',
          }),
        ],
      }),
    );
    const copy = path.join(makeTempDir(), 'copy-14d.yaml');
    fs.copyFileSync(path.join(dir, 'windows-14d.yaml'), copy);
    const twice = () => loadDefinitions([path.join(dir, 'payments.yaml')], { alertWindows: [path.join(dir, 'windows-14d.yaml'), copy] });
    expect(twice).toThrow(
      expect.objectContaining({
        issues: [
          expect.objectContaining({ field: 'spec.sloPeriod', message: expect.stringMatching(/^a second AlertWindows for this period/) }),
        ],
      }),
    );
  });

  it('warns about keys Sloth ignores, naming file, line and key', () => {
    const set = loadDefinitions([path.join(dir, 'payments.yaml')]);
    expect(set.warnings).toEqual([
      {
        field: 'slos[2].alerting.pageAlert',
        file: expect.stringMatching(/payments\.yaml$/) as unknown as string,
        line: 57,
        column: 7,
        message: 'unknown field "pageAlert" ignored: Sloth ignores keys it does not know, so Sextant does too',
      },
    ]);
  });

  it('prints numbers and durations as Go and Prometheus do', () => {
    // Go's fmt %v: shortest digits, exponent form below 1e-4 and from 1e6 (fmt.Println(1e6) prints 1e+06).
    expect([0.0009999999999999432, 14.4, 1e-5, 1e6, 123456, 30].map(goFloat)).toEqual([
      '0.0009999999999999432',
      '14.4',
      '1e-05',
      '1e+06',
      '123456',
      '30',
    ]);
    // Prometheus model.Duration: weeks and years only when exact (Sloth's 28d period is "4w", 30d stays "30d").
    const day = 86_400_000;
    expect([28 * day, 30 * day, 7 * day, 1.5 * day, 5 * 60_000].map(promDuration)).toEqual(['4w', '30d', '1w', '1d12h', '5m']);
  });
});

describe.skipIf(!promtoolAvailable())('Sloth-compatible rules pass promtool', () => {
  it('check rules accepts every generated file (PrometheusRule objects: their groups)', async () => {
    const tmp = makeTempDir('sextant-sloth-compat-');
    try {
      const files = ['payments.yaml', 'payments-k8s.yaml', 'search-v1alpha.yaml'].map((input, index) => {
        const file = path.join(tmp, `${index}.yaml`);
        fs.writeFileSync(file, JSON.stringify({ groups: comparable(generate(input)).groups }));
        return file;
      });
      const { stdout, stderr } = await promisify(execFile)('promtool', ['check', 'rules', ...files]);
      expect(stdout + stderr).not.toContain('FAILED');
      expect((stdout + stderr).match(/SUCCESS/g)).toHaveLength(3);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
