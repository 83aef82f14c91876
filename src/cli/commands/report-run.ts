/**
 * The shared run of report/export/check: load the inputs, resolve periods and ranges, run the
 * engine, build the report model.
 */
import { runMetrics } from '../../analysis/engine.js';
import { parseRangeValue, type PeriodUnit, type WeekStart } from '../../analysis/periods.js';
import type { Dataset } from '../../dataset/dataset.js';
import { resolveScales } from '../../dataset/load.js';
import { CxmError } from '../../errors.js';
import { METRICS, resolveSettings } from '../../metrics/registry.js';
import { buildReportModel, type ReportModel } from '../../report/model.js';
import { loadInputs } from '../inputs.js';
import { invalidOption } from '../options.js';
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

export async function buildReport(inputs: string[], raw: Record<string, unknown>): Promise<ReportRun> {
  const { options, dataset } = await loadInputs(inputs, raw);
  assertSomeRecords(dataset);
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
  const clock = applyClockOptions(resolveSettings(options.config, resolveScales(options.config)), raw);
  const settings = clock.settings;
  const by = (raw.by as string[] | undefined) ?? [];
  const period = (raw.period as PeriodUnit | undefined) ?? null;
  const engine = runMetrics(dataset, { metrics, settings, period, by, since, until, zone, weekStart, now });
  const model = buildReportModel(dataset, engine, metrics, { period, by, since, until, timezone: zone, minSample: settings.minSample });
  model.settings.time = settings.time ?? 'calendar';
  model.settings.schedule_rule = settings.businessHours ? (settings.scheduleRule ?? 'at-event') : null;
  model.warnings.push(...clock.warnings);
  return { model, color: options.color };
}
