/**
 * `cxm check`: KPI thresholds for CI. Checks come from the config's `checks` section and from
 * `--require` / `--warn` expressions; each is evaluated overall or per segment, in a window, in
 * point or confident mode; the run exits 1 when an error-level check fails.
 */
import { Command, Option } from 'commander';
import type { CheckLevel, CheckMode, SmallSamplePolicy } from '../../analysis/checks.js';
import { inputOptions } from '../options.js';
import { threadsOption } from '../threads.js';
import { analysisOptions } from './shared.js';

// Literal lists here (not imported) so `cxm --help` does not load the metric catalogue.
export const CHECK_FORMATS = ['table', 'json', 'junit', 'github', 'md'] as const;
const MODES = ['point', 'confident'] as const satisfies readonly CheckMode[];
const SMALL_SAMPLE = ['fail', 'warn', 'pass'] as const satisfies readonly SmallSamplePolicy[];

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function defineCheck(program: Command): Command {
  const command = program
    .command('check')
    .summary('fail a CI job when a KPI breaks its threshold')
    .description(
      `Evaluate KPI thresholds and exit 1 when an error-level check fails — for CI jobs and scheduled runs.

Checks come from the config file ("checks": [{"metric": "nps", "min": 30}, {"metric": "csat", "by": "channel", "min": "80%", "level": "warn"}, {"metric": "nps", "maxDrop": 5}]) and from repeatable --require (level error) and --warn (level warn) expressions:

  metric[.field] [drop] (>= | > | <= | <) threshold [by field[,field]] [over range] [optional]

  fields     value (default), mean, median, p90, n, ci_low, ci_high
  threshold  in the metric's unit: NPS points (30, -5), rates as 0.8 or 80%, durations as 90s, 4h, 2d, 1h30m
  by         one result per segment (segments with no answers for the metric are skipped)
  over       only records in that range, instead of --since/--until: last-week, last-30d, 2025-03-01..2025-04-01
  drop       the worsening against the previous period (a fall for higher-is-better metrics, a rise for lower-is-better ones; a fall for neutral ones), in the metric's unit: "nps drop <= 5", "csat drop <= 3%" (percentage points)
  optional   a metric the data cannot compute is skipped instead of failing

Expressions are parsed, never evaluated; a malformed one exits 2 and points at the column.

Modes (--mode, or "mode" per config check):
  point      the value against the threshold (default)
  confident  fail only when the whole 95% confidence interval is on the wrong side; a drop fails only when it is also statistically significant (adjusted-Wald for NPS, Newcombe for rates, Welch for means). Values with no interval (counts, p90, n) are judged on the value, and the output says so.

A drop compares the latest period of the window with the one before it. Its period is the check's own ("period" in the config), else the unit of its "over" range (last-week: week, last-30d: day, last-6m: month), else --period, else week; the window is widened by one period so the first period has a previous one. Without "over", the latest period is the one holding the end of the data (or --until), which may be incomplete: use "over last-week" and --now for complete periods.

A metric the inputs cannot compute fails its check with the reason (skipped with "optional"). A result resting on fewer answers than the minimum sample (config minSample, default 30) follows --on-small-sample: fail, warn (default: reported, never fails the run), or pass (judged on its value like any other).

Results come in the order of the checks: the config's, then --require, then --warn. Every result says which mode decided it: point, confident (95% CI), significance (the test), small sample, or no data.

Exit codes: 0 every check passed (warnings allowed), 1 an error-level check failed, 2 a bad expression, config or option, 3 inputs unreadable or too many rejected rows.`,
    )
    .argument('[inputs...]', 'files, directories, globs, or - for stdin (default: the current directory)')
    .addOption(new Option('--require <expr>', 'an error-level check, e.g. "nps >= 30"; repeatable').argParser(collect))
    .addOption(new Option('--warn <expr>', 'a warn-level check (reported, never fails the run); repeatable').argParser(collect))
    .addOption(new Option('--mode <mode>', 'point: the value against the threshold; confident: only a breach the 95% CI (or the significance test of a drop) confirms').choices(MODES).default('point'))
    .addOption(new Option('--on-small-sample <policy>', 'a result on fewer answers than the minimum sample: fail, warn, or pass (judge it on its value)').choices(SMALL_SAMPLE).default('warn'))
    .addOption(new Option('-f, --format <format>', 'table, json ({success, statistics, results}), junit (XML), github (workflow annotations), md (a PR comment)').choices(CHECK_FORMATS).default('table'))
    .addOption(new Option('-o, --out <file>', 'write the result to this file (atomically) instead of stdout'))
    .addOption(new Option('--period <unit>', 'the period of drop checks that do not name one (default: the unit of their "over" range, else week)').choices(['day', 'week', 'month', 'quarter', 'year'] as const));
  for (const option of analysisOptions()) {
    if (option.long === '--by' || option.long === '--period') continue;
    command.addOption(option);
  }
  for (const option of inputOptions()) command.addOption(option);
  command.addOption(threadsOption());
  command.addHelpText(
    'after',
    `
Examples:
  cxm check exports/ --require "nps >= 30" --require "first_response_time.p90 <= 4h"
  cxm check exports/ --require "csat >= 80% by channel" --warn "abandonment_rate <= 5% over last-week" --now 2025-06-09
  cxm check exports/ --config cxm.config.json --mode confident --format junit --out cxm-checks.xml
  cxm check exports/ --require "nps drop <= 5 over last-week" --format md >> "$GITHUB_STEP_SUMMARY"`,
  );
  command.action(async (inputs: string[], raw: Record<string, unknown>) => runCheck(inputs, raw));
  return command;
}

async function runCheck(inputs: string[], raw: Record<string, unknown>): Promise<void> {
  const { checksFromConfig, evaluateCheck, parseCheckExpression, planCheckRuns, runWindow, summarizeChecks } = await import('../../analysis/checks.js');
  const { runMetrics } = await import('../../analysis/engine.js');
  const { CxmError } = await import('../../errors.js');
  const { METRICS } = await import('../../metrics/registry.js');
  const { buildReportModel } = await import('../../report/model.js');
  const { emit, useColor } = await import('../io.js');
  const { parseCommonOptions } = await import('../options.js');
  const { loadForAnalysis } = await import('./report-run.js');

  // The checks first: a bad expression or config fails before any input is read.
  const common = await parseCommonOptions(raw, process.cwd());
  const checks = checksFromConfig(common.config.checks ?? [], common.configPath ?? 'cxm.config.json');
  const inline = (list: unknown, level: CheckLevel, flag: string) =>
    ((list as string[] | undefined) ?? []).map((text, i) => parseCheckExpression(text, { level, origin: `${flag} #${i + 1}`, flag }));
  checks.push(...inline(raw.require, 'error', '--require'), ...inline(raw.warn, 'warn', '--warn'));
  if (checks.length === 0) {
    throw new CxmError('USAGE', 'no checks to run', {
      hint: 'give --require "nps >= 30" (repeatable), or a "checks" section in cxm.config.json: [{"metric": "nps", "min": 30}]',
    });
  }

  const runs = planCheckRuns(checks, (raw.period as 'week' | undefined) ?? null);
  // As `cxm report` does (report-run.ts): the range, --time and --schedule-rule over the config,
  // --tz for calendar buckets; and, when the checks make one engine run, a single large export is
  // fed to it while it is read (a run per window or segmentation would need the records kept).
  const { dataset, options, analysis, stream } = await loadForAnalysis(inputs, raw, ({ since, until, now, zone, weekStart }) => {
    if (runs.length !== 1) return null;
    const run = runs[0]!;
    const window = runWindow(run, { since, until }, { now, zone, weekStart });
    if (window.since !== null && window.until !== null && window.until <= window.since) return null; // refused below
    return { metrics: METRICS, period: run.period, by: run.by, since: window.since, until: window.until };
  });
  const { zone, weekStart, now, since, until, settings } = analysis;
  const evaluate = { mode: raw.mode as CheckMode, onSmallSample: raw.onSmallSample as SmallSamplePolicy };
  const perCheck: ReturnType<typeof evaluateCheck>[] = new Array(checks.length);
  for (const run of runs) {
    const window = runWindow(run, { since, until }, { now, zone, weekStart });
    if (window.since !== null && window.until !== null && window.until <= window.since) {
      const names = run.checks.map((i) => checks[i]!.name).join('; ');
      throw new CxmError('INVALID_EXPRESSION', `the range of ${names} ends before it starts`, { hint: 'over FROM..TO: TO is exclusive and must come after FROM' });
    }
    // Every metric, as `cxm report` computes them: the analysed window depends on which record kinds are in play.
    const engine = runMetrics(dataset, { metrics: METRICS, settings, period: run.period, by: run.by, since: window.since, until: window.until, zone, weekStart, now }, runs.length === 1 ? stream : null);
    const model = buildReportModel(dataset, engine, METRICS, { period: run.period, by: run.by, since: window.since, until: window.until, timezone: zone, minSample: settings.minSample });
    const data = { entries: model.metrics, unavailable: model.unavailable, minSample: settings.minSample, window: model.settings.range };
    for (const i of run.checks) perCheck[i] = evaluateCheck(checks[i]!, data, evaluate);
  }
  const report = summarizeChecks(perCheck.flat(), { mode: evaluate.mode, on_small_sample: evaluate.onSmallSample, timezone: zone, min_sample: settings.minSample });

  const render = await import('../../report/render-check.js');
  const out = raw.out as string | undefined;
  const format = raw.format as (typeof CHECK_FORMATS)[number];
  const text =
    format === 'json'
      ? render.renderCheckJson(report)
      : format === 'junit'
        ? render.renderCheckJunit(report)
        : format === 'github'
          ? render.renderCheckGithub(report)
          : format === 'md'
            ? render.renderCheckMarkdown(report)
            : render.renderCheckTable(report, { color: out ? false : useColor(options.color) });
  await emit(text, out);
  if (!report.success) {
    const s = report.statistics;
    throw new CxmError('CHECK_FAILED', `${s.failed} of ${s.evaluated} check result${s.evaluated === 1 ? '' : 's'} failed`, {
      hint: 'warn-level checks and --on-small-sample warn report without failing; --mode confident fails only breaches the 95% CI confirms',
    });
  }
}
