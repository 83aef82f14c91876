/**
 * The shared run of report/export/check: load the inputs, resolve periods and ranges, run the
 * engine, build the report model.
 */
import { MetricStream, runMetrics } from '../../analysis/engine.js';
import { formatLocal, parseRangeValue, type PeriodUnit, type WeekStart } from '../../analysis/periods.js';
import type { Dataset } from '../../dataset/dataset.js';
import { resolveScales } from '../../dataset/load.js';
import { CxmError } from '../../errors.js';
import { METRICS, resolveSettings } from '../../metrics/registry.js';
import type { MetricDefinition, MetricSettings } from '../../metrics/types.js';
import type { Config } from '../../schema/config.js';
import { buildReportModel, type ReportModel } from '../../report/model.js';
import { loadInputs } from '../inputs.js';
import { invalidOption, type CommonOptions } from '../options.js';
import { applyClockOptions } from './shared.js';

/** A report over inputs that hold no records at all is an input problem (exit 3), not an empty report. */
export function assertSomeRecords(dataset: Dataset): void {
  if (dataset.totals().accepted > 0) return;
  const notes = dataset.inputs.map((input) => `${input.file}: ${input.status === 'read' ? `${input.rejected} of ${input.read} rows rejected` : `${input.status}${input.reason ? ` (${input.reason})` : ''}`}`);
  throw new CxmError('NO_INPUT_DATA', `no records to report on:\n  ${notes.slice(0, 12).join('\n  ')}${notes.length > 12 ? `\n  … and ${notes.length - 12} more` : ''}`, {
    hint: '`cxm inspect` shows how each file was read; --kind or a config mapping ("files" in cxm.config.json) names what the headers cannot',
  });
}

export interface ReportRun {
  model: ReportModel;
  color: boolean | undefined;
  /**
   * What `--format html` needs beyond the model: the drivers are computed from the dataset. Only
   * html gets every record: another format may stream a single export (`dataset.streamed(kind)`:
   * the dataset then holds samples of that kind, not its records).
   */
  context: {
    dataset: Dataset;
    config: Config;
    settings: MetricSettings;
    metrics: readonly MetricDefinition[];
    now: number;
    nowGiven: boolean;
    zone: string;
    since: number | null;
    until: number | null;
  };
}

/** `--now`, else the clock (the only place cxm reads it). */
export function resolveNow(raw: unknown, zone: string): number {
  if (raw === undefined || raw === null || raw === '') return Date.now();
  const text = String(raw);
  try {
    return parseRangeValue(text, Date.now(), zone, 'monday', '--now').at;
  } catch {
    throw invalidOption('--now', 'a date or date-time such as 2025-06-02 or 2025-06-02T09:00', text);
  }
}

/** The analysis frame shared by report/export/check: zone (--tz), week start, now (--now), range (--since/--until), settings (--time/--schedule-rule over the config). */
export interface Analysis {
  zone: string;
  weekStart: WeekStart;
  now: number;
  since: number | null;
  until: number | null;
  settings: MetricSettings;
  /** Notes on the clock options (--time business or --schedule-rule without a schedule). */
  warnings: string[];
}

/** Resolves `--tz`, `--week-start`, `--now`, `--since`/`--until`, `--time` and `--schedule-rule` against the config. */
export function resolveAnalysis(options: { timezone?: string; config: Config }, raw: Record<string, unknown>): Analysis {
  const zone = options.timezone ?? options.config.timezone ?? 'UTC';
  const weekStart = ((raw.weekStart as string | undefined) ?? options.config.weekStart ?? 'monday') as WeekStart;
  const now = resolveNow(raw.now, zone);
  let since: number | null = null;
  let until: number | null = null;
  if (raw.since !== undefined) {
    const bound = parseRangeValue(String(raw.since), now, zone, weekStart, '--since');
    since = bound.at;
    if (raw.until === undefined && bound.periodEnd !== null) until = bound.periodEnd;
  }
  if (raw.until !== undefined) until = parseRangeValue(String(raw.until), now, zone, weekStart, '--until').at;
  if (since !== null && until !== null && until <= since) {
    throw new CxmError('INVALID_OPTION', `invalid option --until: must be after --since`, { hint: 'check the two dates; --until is exclusive' });
  }
  const clock = applyClockOptions(resolveSettings(options.config, resolveScales(options.config)), raw);
  // --tz reaches the metrics that bucket by local calendar (cohort months).
  const settings = { ...clock.settings, timezone: zone };
  return { zone, weekStart, now, since, until, settings, warnings: clock.warnings };
}

/** The metrics `--metrics` names (all of them without it). */
function selectMetrics(raw: Record<string, unknown>): readonly MetricDefinition[] {
  let metrics = METRICS;
  if (raw.metrics !== undefined) {
    const ids = String(raw.metrics)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = ids.filter((id) => !METRICS.some((m) => m.id === id));
    if (unknown.length) {
      throw new CxmError('UNKNOWN_METRIC', `unknown metric${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { hint: '`cxm metrics` lists every metric id' });
    }
    metrics = METRICS.filter((m) => ids.includes(m.id));
  }
  return metrics;
}

const byOf = (raw: Record<string, unknown>): string[] => (raw.by as string[] | undefined) ?? [];
const periodOf = (raw: Record<string, unknown>): PeriodUnit | null => (raw.period as PeriodUnit | undefined) ?? null;

/** The one engine run a stream is fed for, as known before reading. */
export interface StreamPlan {
  metrics: readonly MetricDefinition[];
  period: PeriodUnit | null;
  by: readonly string[];
  since: number | null;
  until: number | null;
}

export interface AnalysedInputs<P extends StreamPlan> {
  options: CommonOptions;
  dataset: Dataset;
  analysis: Analysis;
  /** The plan the stream was built for (null: none was made, or resolving the frame failed). */
  plan: P | null;
  /** Pass to `runMetrics` for the run `plan` describes, and to no other run. */
  stream: MetricStream | null;
}

/**
 * Loads the inputs of report, export and check. A single large export is fed to the metrics
 * while it is read, when the run allows it (MetricStream: flat memory; the engine decides per
 * kind). The analysis frame is then resolved before reading, and `plan` says which one engine run
 * the stream is for (null: none, the records are kept). If resolving the frame or the plan fails,
 * nothing streams and the same error surfaces after loading, as it always did.
 */
export async function loadForAnalysis<P extends StreamPlan>(inputs: string[], raw: Record<string, unknown>, plan: (analysis: Analysis) => P | null): Promise<AnalysedInputs<P>> {
  let early: { analysis: Analysis; plan: P } | null = null;
  let stream: MetricStream | null = null;
  const { options, dataset } = await loadInputs(inputs, raw, {
    stream: (parsed) => {
      early = null;
      stream = null;
      if (raw.format === 'html') return undefined; // the page's drivers need every record
      try {
        const analysis = resolveAnalysis(parsed, raw);
        const planned = plan(analysis);
        if (!planned) return undefined;
        early = { analysis, plan: planned };
      } catch {
        return undefined;
      }
      const { zone, weekStart, now, settings } = early.analysis;
      const { metrics, period, by, since, until } = early.plan;
      stream = new MetricStream({ metrics, settings, period, by, since, until, zone, weekStart, now });
      return stream;
    },
    threads: true,
  });
  assertSomeRecords(dataset);
  const frame = early as { analysis: Analysis; plan: P } | null;
  return { options, dataset, analysis: frame?.analysis ?? resolveAnalysis(options, raw), plan: frame?.plan ?? null, stream: stream as MetricStream | null };
}

export async function buildReport(inputs: string[], raw: Record<string, unknown>): Promise<ReportRun> {
  const loaded = await loadForAnalysis(inputs, raw, ({ since, until }) => ({ metrics: selectMetrics(raw), period: periodOf(raw), by: byOf(raw), since, until }));
  const { options, dataset, stream } = loaded;
  const { zone, weekStart, now, since, until, settings, warnings } = loaded.analysis;
  const metrics = loaded.plan?.metrics ?? selectMetrics(raw);
  const by = byOf(raw);
  const period = periodOf(raw);
  const engine = runMetrics(dataset, { metrics, settings, period, by, since, until, zone, weekStart, now }, stream);
  const model = buildReportModel(dataset, engine, metrics, { period, by, since, until, timezone: zone, minSample: settings.minSample });
  model.settings.time = settings.time ?? 'calendar';
  model.settings.schedule_rule = settings.businessHours ? (settings.scheduleRule ?? 'at-event') : null;
  model.warnings.push(...warnings);
  const nowGiven = raw.now !== undefined && raw.now !== null && raw.now !== '';
  return { model, color: options.color, context: { dataset, config: options.config, settings, metrics, now, nowGiven, zone, since, until } };
}

/**
 * `--format html`: the page with the drivers of the default outcome (NPS if the inputs have it,
 * else CSAT) and the definitions of the metrics shown, passed to the renderer as data.
 */
export async function renderHtmlReport(run: ReportRun, raw: Record<string, unknown>): Promise<string> {
  const { dataset, config, settings, metrics, now, nowGiven, zone, since, until } = run.context;
  const { analyzeDrivers, availableOutcomes } = await import('../../analysis/drivers.js');
  const { rejectEntry } = await import('../../report/inputs.js');
  const { renderReportHtml } = await import('../../report/html/render-html.js');
  const available = availableOutcomes(dataset);
  const outcome = available.includes('nps') ? 'nps' : available.includes('csat') ? 'csat' : null;
  let drivers = null;
  let driversNote: string | null = null;
  if (outcome === null) {
    driversNote = 'No drivers: the inputs hold no NPS or CSAT answers to explain (`cxm drivers --outcome ces|churn` explains the others).';
  } else {
    const d = config.drivers ?? {};
    const analysis = analyzeDrivers(dataset, {
      outcome,
      windowDays: d.window ?? 90,
      minGroup: d.minGroup ?? 30,
      by: [],
      control: null,
      themes: 10,
      themeDictionary: d.themes ?? {},
      slaFirstResponseSeconds: d.sla?.firstResponseSeconds ?? null,
      settings,
      since,
      until,
      zone,
    });
    if (analysis.overall.n > 0) drivers = analysis;
    else driversNote = `No drivers: no ${outcome} answer could be linked to a customer and placed in time (outcomes need a customer id, or an order or ticket id that leads to one, and a date).`;
  }
  return renderReportHtml(run.model, {
    title: typeof raw.title === 'string' ? raw.title : undefined,
    now: formatLocal(now, zone),
    nowSource: nowGiven ? 'option' : 'clock',
    drivers,
    driversNote,
    definitions: metrics.map((m) => ({ id: m.id, label: m.label, unit: m.unit, formula: m.formula, needs: m.needs })),
    rejects: dataset.rejects.slice(0, 20).map(rejectEntry),
  });
}
