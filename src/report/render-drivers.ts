/**
 * `cxm drivers` and `cxm anomalies`: their report models (plain data, what `--format json` prints)
 * and renderers. The drivers table ranks exposures by impact and draws each 95% interval as a bar
 * on a horizontal axis around 0 (`───` the interval, `●` the difference, `│` zero). Comments and
 * data values are untrusted text: every cell goes through `oneLine` (or `mdCell`, `csvCell`).
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { AnomalyBand } from '../analysis/anomalies.js';
import type { DriverRow, DriversAnalysis } from '../analysis/drivers.js';
import type { Dataset } from '../dataset/dataset.js';
import type { Direction, Unit } from '../metrics/types.js';
import { formatDuration, formatValue } from './format.js';
import { inputEntry, type InputEntry } from './inputs.js';
import type { ReportModel } from './model.js';
import { csvLine } from './render-csv.js';
import { mdCell } from './render-md.js';
import { segmentLabel } from './render-report.js';
import { formatInt, oneLine } from './text.js';

// ---------------------------------------------------------------------------------------
// models

/** What `cxm drivers --format json` prints: the analysis, the inputs and the row accounting. */
export interface DriversModel extends DriversAnalysis {
  inputs: InputEntry[];
  totals: { read: number; accepted: number; duplicate: number; rejected: number };
}

export function buildDriversModel(dataset: Dataset, analysis: DriversAnalysis): DriversModel {
  const inputs = [...dataset.inputs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map(inputEntry);
  return { ...analysis, inputs, totals: dataset.totals() };
}

/** One period of one metric judged against its band. */
export interface AnomalyEntry extends AnomalyBand {
  metric: string;
  label: string;
  unit: Unit;
  direction: Direction;
  period: string;
  period_start: string | null;
  period_end: string | null;
  segment: Record<string, string> | null;
  value: number;
  n: number;
  /** above or below the band; null when inside it. */
  side: 'above' | 'below' | null;
  /** Whether the departure is good news (by the metric's direction); null when neutral or inside. */
  better: boolean | null;
  /** The period runs past the data (or starts before it): a partial period, often low for counts. */
  partial: boolean;
  small_sample: boolean;
}

/** What `cxm anomalies --format json` prints. */
export interface AnomaliesModel {
  period: string | null;
  k: number;
  trailing: number;
  min_history: number;
  method: string;
  range: [string, string] | null;
  /** Period rows that had a band (enough history). */
  checked: number;
  /** The flagged ones (or every checked one with `all`), in metric then time order. */
  anomalies: AnomalyEntry[];
  unavailable: { id: string; reason: string }[];
  warnings: string[];
  inputs: InputEntry[];
  totals: ReportModel['totals'];
}

export function buildAnomaliesModel(
  report: ReportModel,
  options: { k: number; trailing: number; minHistory: number; all: boolean },
): AnomaliesModel {
  const range = report.settings.range;
  const rangeStart = range ? Date.parse(range[0]) : null;
  const rangeEnd = range ? Date.parse(range[1]) : null;
  const anomalies: AnomalyEntry[] = [];
  let checked = 0;
  for (const m of report.metrics) {
    if (m.period === null || m.anomaly === null || m.value === null) continue;
    checked++;
    if (!m.anomaly.flagged && !options.all) continue;
    const side = m.value > m.anomaly.high ? 'above' : m.value < m.anomaly.low ? 'below' : null;
    const better = side === null || m.direction === 'neutral' ? null : (side === 'above') === (m.direction === 'higher');
    const start = m.period_start === null ? null : Date.parse(m.period_start);
    const end = m.period_end === null ? null : Date.parse(m.period_end);
    const partial = (start !== null && rangeStart !== null && start < rangeStart) || (end !== null && rangeEnd !== null && end > rangeEnd);
    anomalies.push({
      metric: m.id,
      label: m.label,
      unit: m.unit,
      direction: m.direction,
      period: m.period,
      period_start: m.period_start,
      period_end: m.period_end,
      segment: m.segment,
      value: m.value,
      n: m.n,
      ...m.anomaly,
      side,
      better,
      partial,
      small_sample: m.small_sample,
    });
  }
  return {
    period: report.settings.period,
    k: options.k,
    trailing: options.trailing,
    min_history: options.minHistory,
    method: `a period is flagged when its value falls outside median ± ${options.k} × MAD (scaled by 1.4826; the scaled mean absolute deviation when the MAD is 0) of the ${options.trailing} periods before it; at least ${options.minHistory} of them with a value are needed`,
    range,
    checked,
    anomalies,
    unavailable: report.unavailable,
    warnings: report.warnings,
    inputs: report.inputs,
    totals: report.totals,
  };
}

// ---------------------------------------------------------------------------------------
// number display

/** A difference in the outcome's unit: `-19.5` NPS points, `-16.8 pp`, `-0.42`. */
export function formatDifference(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '-' : '±';
  const abs = Math.abs(value);
  if (unit === 'share') return `${sign}${(abs * 100).toFixed(1)} pp`;
  if (unit === 'points') return `${sign}${abs.toFixed(1)}`;
  return `${sign}${abs.toFixed(2)}`;
}

/** A difference's interval: `-29.2 … -9.7` points, `-22.8 … -8.0 pp`. */
export function formatDifferenceInterval(ci: [number, number] | null, unit: Unit): string {
  if (ci === null) return '';
  const f = (x: number) => (unit === 'share' ? (x * 100).toFixed(1) : unit === 'points' ? x.toFixed(1) : x.toFixed(2));
  return `${f(ci[0])} … ${f(ci[1])}${unit === 'share' ? ' pp' : ''}`;
}

/** p- and q-values: three decimals, `<0.001` below. */
export function formatP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function groupCell(g: { n: number; value: number | null }, unit: Unit): string {
  return `${formatValue(g.value, unit)} (n=${formatInt(g.n)})`;
}

/**
 * A 95% interval drawn on a horizontal axis from −scale to +scale: `─` over the interval, `●` at
 * the point estimate, `│` at zero (`┼` where the interval crosses it). `width` should be odd so
 * zero has a cell of its own.
 *
 * @example ciBar(-20, [-30, -10], 40, 9) // ' ─●─│    '
 */
export function ciBar(point: number | null, ci: [number, number] | null, scale: number, width = 25): string {
  const cells = Array.from({ length: width }, () => ' ');
  const zero = Math.floor((width - 1) / 2);
  const col = (x: number) => Math.max(0, Math.min(width - 1, Math.round(((x + scale) / (2 * scale)) * (width - 1))));
  cells[zero] = '│';
  if (ci !== null && scale > 0) {
    for (let c = col(ci[0]); c <= col(ci[1]); c++) cells[c] = c === zero ? '┼' : '─';
  }
  if (point !== null && Number.isFinite(point) && scale > 0) cells[col(point)] = '●';
  return cells.join('');
}

/** The axis half-width: the largest |bound| among the rows' intervals and differences. */
function barScale(rows: readonly DriverRow[]): number {
  let scale = 0;
  for (const r of rows) {
    for (const x of [r.difference, r.ci95?.[0], r.ci95?.[1]]) if (x !== null && x !== undefined && Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  }
  return scale;
}

function scaleLabel(scale: number, unit: Unit): string {
  return unit === 'share' ? `${(scale * 100).toFixed(1)} pp` : unit === 'points' ? scale.toFixed(1) : scale.toFixed(2);
}

/** Is this difference bad news for the outcome? */
function harmful(difference: number, direction: 'higher' | 'lower'): boolean {
  return direction === 'higher' ? difference < 0 : difference > 0;
}

function excludedText(excluded: Record<string, number>): string | null {
  const parts = Object.entries(excluded).map(([why, count]) => `${formatInt(count)} ${why}`);
  return parts.length ? `left out: ${parts.join(', ')}` : null;
}

// ---------------------------------------------------------------------------------------
// drivers: table

/** No rule between body rows: long lists stay readable. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderDriversTable(model: DriversModel, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? (chalk.level || 1) : 0 });
  const out: string[] = [];
  const unit = model.unit;
  out.push(
    c.bold(`Drivers of ${model.label}`),
    `${formatInt(model.overall.n)} outcomes, overall ${formatValue(model.overall.value, unit)}; exposures within ${model.window_days} days before each outcome${model.control ? `; stratified by ${model.control}` : ''}`,
    '',
  );
  const scale = barScale(model.drivers);
  const head = ['#', 'exposure', 'exposed', 'unexposed', 'difference', '95% CI', `CI bar, ±${scaleLabel(scale, unit)}`, 'q', 'impact'];
  if (model.outcome === 'churn') head.push('risk ratio');
  if (model.control) head.push(`adjusted for ${oneLine(model.control, 20)}`);
  const table = new Table({
    head,
    chars: COMPACT,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
    colAligns: ['right', 'left', 'right', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right'],
  });
  let rank = 0;
  for (const r of model.drivers) {
    const dim = (text: string) => (r.ranked ? text : c.dim(text));
    const significant = r.q !== null && r.q < 0.05;
    let diff = formatDifference(r.difference, unit);
    if (significant && r.difference !== null) diff = harmful(r.difference, model.direction) ? c.red(diff) : c.green(diff);
    const row = [
      r.ranked ? String(++rank) : c.dim('–'),
      dim(oneLine(r.exposure, 44)),
      dim(groupCell(r.exposed, unit)),
      dim(groupCell(r.unexposed, unit)),
      r.ranked ? diff : c.dim(diff),
      dim(formatDifferenceInterval(r.ci95, unit)),
      dim(ciBar(r.difference, r.ci95, scale)),
      r.ranked ? `${formatP(r.q)}${significant ? ' *' : ''}` : c.dim(`n<${model.min_group}`),
      dim(formatDifference(r.impact, unit)),
    ];
    if (model.outcome === 'churn') row.push(dim(r.relative_risk ? `${r.relative_risk.ratio.toFixed(2)} (${r.relative_risk.ci95[0].toFixed(2)}–${r.relative_risk.ci95[1].toFixed(2)})` : '—'));
    if (model.control) row.push(dim(r.adjusted ? `${formatDifference(r.adjusted.difference, unit)} (${formatDifferenceInterval(r.adjusted.ci95, unit)})` : '—'));
    table.push(row);
  }
  if (model.drivers.length) out.push(table.toString());
  else out.push('No exposure could be linked to these outcomes.');
  out.push(
    '',
    c.dim(`* q < 0.05 (Benjamini-Hochberg); rows marked n<${model.min_group} have fewer outcomes than that in a group: shown, not ranked`),
    c.dim(`${model.impact_formula}`),
    c.dim(`bars: the 95% interval (───) and the difference (●) on an axis around 0 (│)`),
    c.dim(`outcome: ${model.outcome_definition}`),
    c.dim(`method: ${model.method}`),
  );
  if (model.first_response_threshold) {
    const t = model.first_response_threshold;
    out.push(c.dim(`slow first response: slower than ${formatDuration(t.seconds)} (${t.source === 'sla' ? 'the configured SLA' : 'the 75th percentile of the data'})`));
  }
  const excluded = excludedText(model.excluded);
  if (excluded) out.push(c.dim(excluded));
  out.push(c.yellow(model.note), '');

  if (model.themes.length) {
    out.push(c.bold(`Comment themes: ${model.theme_groups[0]} vs ${model.theme_groups[1]}`));
    const themes = new Table({
      head: ['more among', 'word or phrase', 'z', 'comments', 'example'],
      chars: COMPACT,
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
      colAligns: ['left', 'left', 'right', 'right', 'left'],
    });
    for (const t of model.themes) {
      themes.push([oneLine(t.group, 20), oneLine(t.term, 30), t.z.toFixed(1), `${formatInt(t.count)} vs ${formatInt(t.other_count)}`, t.example === null ? '' : oneLine(t.example, 60)]);
    }
    out.push(themes.toString(), c.dim("weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); |z| > 1.96 shown; a comment counts once per term"), '');
  }
  if (model.theme_dictionary.length) {
    out.push(c.bold('Theme dictionary'));
    const dict = new Table({
      head: ['theme', 'keywords', 'comments', model.outcome === 'nps' ? 'NPS' : 'value', 'impact'],
      chars: COMPACT,
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
      colAligns: ['left', 'left', 'right', 'right', 'right'],
    });
    for (const t of model.theme_dictionary) {
      dict.push([oneLine(t.theme, 30), oneLine(t.keywords.join(', '), 50), formatInt(t.count), formatValue(t.value, unit), formatDifference(t.impact, unit)]);
    }
    out.push(dict.toString(), c.dim('impact = count × (theme value − overall) / (total − count): the overall figure minus that of the answers that do not mention the theme'), '');
  }
  if (model.warnings.length) {
    out.push(c.bold('Warnings'));
    for (const w of model.warnings) out.push(`  ${c.yellow('!')} ${oneLine(w, 200)}`);
    out.push('');
  }
  const t = model.totals;
  out.push(
    c.dim(
      `${model.inputs.length} input${model.inputs.length === 1 ? '' : 's'}: ${formatInt(t.read)} rows read = ${formatInt(t.accepted)} accepted + ${formatInt(t.duplicate)} duplicate + ${formatInt(t.rejected)} rejected`,
    ),
  );
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// drivers: Markdown

export function renderDriversMarkdown(model: DriversModel): string {
  const unit = model.unit;
  const out: string[] = [`# Drivers of ${mdCell(model.label)}`, ''];
  out.push(
    `${formatInt(model.overall.n)} outcomes, overall ${formatValue(model.overall.value, unit)}; exposures within ${model.window_days} days before each outcome${model.control ? `; stratified by ${mdCell(model.control)}` : ''}.`,
    '',
    `> ${mdCell(model.note)}`,
    '',
  );
  const scale = barScale(model.drivers);
  const extra = [...(model.outcome === 'churn' ? ['risk ratio'] : []), ...(model.control ? [`adjusted for ${mdCell(model.control)}`] : [])];
  out.push(
    `| # | exposure | exposed | unexposed | difference | 95% CI | CI bar, ±${scaleLabel(scale, unit)} | q | impact |${extra.map((e) => ` ${e} |`).join('')}`,
    `| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |${extra.map(() => ' ---: |').join('')}`,
  );
  let rank = 0;
  for (const r of model.drivers) {
    const cells = [
      r.ranked ? String(++rank) : '–',
      mdCell(r.exposure),
      mdCell(groupCell(r.exposed, unit)),
      mdCell(groupCell(r.unexposed, unit)),
      mdCell(formatDifference(r.difference, unit)),
      mdCell(formatDifferenceInterval(r.ci95, unit)),
      `\`${ciBar(r.difference, r.ci95, scale)}\``,
      r.ranked ? mdCell(formatP(r.q)) : `n<${model.min_group}`,
      mdCell(formatDifference(r.impact, unit)),
    ];
    if (model.outcome === 'churn') cells.push(r.relative_risk ? `${r.relative_risk.ratio.toFixed(2)} (${r.relative_risk.ci95[0].toFixed(2)}–${r.relative_risk.ci95[1].toFixed(2)})` : '—');
    if (model.control) cells.push(r.adjusted ? mdCell(`${formatDifference(r.adjusted.difference, unit)} (${formatDifferenceInterval(r.adjusted.ci95, unit)})`) : '—');
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push(
    '',
    `- ${mdCell(model.impact_formula)}`,
    `- outcome: ${mdCell(model.outcome_definition)}`,
    `- method: ${mdCell(model.method)}`,
  );
  const excluded = excludedText(model.excluded);
  if (excluded) out.push(`- ${mdCell(excluded)}`);
  if (model.themes.length) {
    out.push('', `## Comment themes: ${mdCell(model.theme_groups[0])} vs ${mdCell(model.theme_groups[1])}`, '', '| more among | word or phrase | z | comments | example |', '| --- | --- | ---: | ---: | --- |');
    for (const t of model.themes) {
      out.push(`| ${mdCell(t.group)} | ${mdCell(t.term)} | ${t.z.toFixed(1)} | ${t.count} vs ${t.other_count} | ${t.example === null ? '' : mdCell(t.example)} |`);
    }
  }
  if (model.theme_dictionary.length) {
    out.push('', '## Theme dictionary', '', '| theme | keywords | comments | value | impact |', '| --- | --- | ---: | ---: | ---: |');
    for (const t of model.theme_dictionary) {
      out.push(`| ${mdCell(t.theme)} | ${mdCell(t.keywords.join(', '))} | ${t.count} | ${mdCell(formatValue(t.value, unit))} | ${mdCell(formatDifference(t.impact, unit))} |`);
    }
  }
  if (model.warnings.length) {
    out.push('', '## Warnings', '');
    for (const w of model.warnings) out.push(`- ${mdCell(w)}`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// drivers: CSV

/** The stable column order of `cxm drivers --format csv` (one row per exposure, raw units). */
export const DRIVERS_CSV_COLUMNS = [
  'outcome',
  'window_days',
  'unit',
  'exposure',
  'family',
  'source',
  'linked',
  'ranked',
  'exposed_n',
  'exposed_value',
  'unexposed_n',
  'unexposed_value',
  'difference',
  'ci_low',
  'ci_high',
  'p',
  'q',
  'impact',
  'risk_ratio',
  'risk_ratio_low',
  'risk_ratio_high',
  'adjusted_by',
  'adjusted_difference',
  'adjusted_ci_low',
  'adjusted_ci_high',
  'adjusted_p',
] as const;

const num = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(12))));

export function renderDriversCsv(model: DriversModel): string {
  const lines = [csvLine([...DRIVERS_CSV_COLUMNS])];
  for (const r of model.drivers) {
    lines.push(
      csvLine([
        model.outcome,
        String(model.window_days),
        model.unit,
        r.exposure,
        r.family,
        r.source.join('/'),
        String(r.linked),
        r.ranked ? 'true' : 'false',
        String(r.exposed.n),
        num(r.exposed.value),
        String(r.unexposed.n),
        num(r.unexposed.value),
        num(r.difference),
        num(r.ci95?.[0]),
        num(r.ci95?.[1]),
        num(r.p),
        num(r.q),
        num(r.impact),
        num(r.relative_risk?.ratio),
        num(r.relative_risk?.ci95[0]),
        num(r.relative_risk?.ci95[1]),
        r.adjusted?.by ?? '',
        num(r.adjusted?.difference),
        num(r.adjusted?.ci95[0]),
        num(r.adjusted?.ci95[1]),
        num(r.adjusted?.p),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// anomalies: table

export function renderAnomaliesTable(model: AnomaliesModel, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? (chalk.level || 1) : 0 });
  const out: string[] = [];
  const flagged = model.anomalies.filter((a) => a.flagged).length;
  out.push(
    c.bold(`Anomalies by ${model.period ?? 'period'}`),
    `${formatInt(flagged)} flagged of ${formatInt(model.checked)} periods with enough history (k = ${model.k}, ${model.trailing} trailing periods)`,
    '',
  );
  if (model.anomalies.length) {
    const table = new Table({
      head: ['metric', 'segment', 'period', 'value', 'band', 'median', 'n', ''],
      chars: COMPACT,
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
      colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
    });
    for (const a of model.anomalies) {
      const mark = a.side === null ? '' : a.side === 'above' ? '▲ above' : '▼ below';
      const colored = a.better === null ? mark : a.better ? c.green(mark) : c.red(mark);
      const notes = [a.partial ? 'partial period' : null, a.small_sample ? 'small sample' : null].filter(Boolean).join(', ');
      table.push([
        a.metric,
        oneLine(segmentLabel(a.segment), 30),
        a.period,
        formatValue(a.value, a.unit),
        `${formatValue(a.low, a.unit)} … ${formatValue(a.high, a.unit)}`,
        formatValue(a.median, a.unit),
        formatInt(a.n),
        `${colored}${notes ? c.dim(` (${notes})`) : ''}`,
      ]);
    }
    out.push(table.toString());
  } else out.push('No period falls outside its band.');
  out.push('', c.dim(model.method));
  if (model.warnings.length) {
    out.push('', c.bold('Warnings'));
    for (const w of model.warnings) out.push(`  ${c.yellow('!')} ${oneLine(w, 200)}`);
  }
  const t = model.totals;
  out.push(
    '',
    c.dim(`${model.inputs.length} input${model.inputs.length === 1 ? '' : 's'}: ${formatInt(t.read)} rows read = ${formatInt(t.accepted)} accepted + ${formatInt(t.duplicate)} duplicate + ${formatInt(t.rejected)} rejected`),
  );
  return `${out.join('\n')}\n`;
}
