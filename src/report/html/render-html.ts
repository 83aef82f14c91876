/**
 * `cxm report --format html`: one self-contained page (inline CSS, inline SVG charts, one small
 * inline script, no network request of any kind) that opens from disk or as an e-mail attachment,
 * reads without JavaScript, and prints. It reads only the report model and what the CLI passes
 * beside it (the drivers analysis, the metric definitions, the first rejects, the report time);
 * it formats, never computes a metric.
 *
 * Every piece of data (file names, channel names, comments, reject values) is untrusted: it goes
 * through {@link escapeHtml} in the page and is escaped by Vega in the SVG text. A Content Security
 * Policy allows only this page's own style sheet and script (by hash) and no fetches, so even a
 * slip in escaping could neither run a script nor call out.
 */
import { createHash } from 'node:crypto';
import type { DriverRow, DriversAnalysis } from '../../analysis/drivers.js';
import type { Domain, Unit } from '../../metrics/types.js';
import { formatChange, formatInterval, formatValue } from '../format.js';
import type { RejectEntry } from '../inputs.js';
import type { MetricEntry, ReportModel } from '../model.js';
import { formatDifference, formatDifferenceInterval, formatP } from '../render-drivers.js';
import { DOMAIN_TITLES, segmentLabel } from '../render-report.js';
import { formatInt } from '../text.js';
import {
  PALETTE,
  barsSpec,
  distributionSpec,
  effectsSpec,
  renderChartSvg,
  sparklineSpec,
  trendSpec,
  type AxisFormat,
  type BarRow,
  type DistributionRow,
  type EffectRow,
  type TrendPoint,
} from './charts.js';
import { SCRIPT, STYLES } from './styles.js';

/** A metric's definition as the registry states it (passed in by the CLI: renderers read data only). */
export interface MetricDefinitionText {
  id: string;
  label: string;
  unit: Unit;
  formula: string;
  needs: string;
}

export interface HtmlReportOptions {
  /** The page's heading and `<title>` (default "Customer-experience report"). */
  title?: string;
  /** When the report was made, as a local ISO date-time: `--now` when given, else the clock. The one time the page shows. */
  now: string;
  /** Whether `now` came from `--now` (reproducible) or from the clock. */
  nowSource: 'option' | 'clock';
  /** The drivers analysis of the default outcome, or null/absent: then the section says why (`driversNote`) or is left out. */
  drivers?: DriversAnalysis | null;
  driversNote?: string | null;
  /** The definitions of the metrics shown (others are ignored). */
  definitions: readonly MetricDefinitionText[];
  /** The first rejected rows (file, line, column, value, reason). */
  rejects?: readonly RejectEntry[];
}

const DEFAULT_TITLE = 'Customer-experience report';

/** The tiles at the top, in this order, when the inputs allow them. */
const HEADLINE = [
  'nps',
  'csat',
  'ces',
  'ticket_volume',
  'first_response_time',
  'resolution_time',
  'fcr',
  'abandonment_rate',
  'return_rate',
  'on_time_delivery_rate',
  'churn_rate',
  'social_mentions',
] as const;

const MAX_DRIVER_BARS = 15;

// ---------------------------------------------------------------------------------------
// text

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const esc = escapeHtml;

/** A raw number for `data-v` (sorting); empty when missing. */
function dataV(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** Numbers in the metric's display unit for a chart axis: shares as fractions with a % format, durations in a readable unit. */
export function axisFormat(unit: Unit, values: readonly (number | null)[]): AxisFormat & { factor: number } {
  switch (unit) {
    case 'share':
      return { factor: 1, format: '.0%', title: null, zero: false };
    case 'points':
      return { factor: 1, format: ',.0f', title: 'points', zero: false };
    case 'seconds': {
      const max = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)).map(Math.abs));
      if (max >= 2 * 86_400) return { factor: 86_400, format: ',.1~f', title: 'days', zero: true };
      if (max >= 2 * 3_600) return { factor: 3_600, format: ',.1~f', title: 'hours', zero: true };
      if (max >= 120) return { factor: 60, format: ',.1~f', title: 'minutes', zero: true };
      return { factor: 1, format: ',.0f', title: 'seconds', zero: true };
    }
    case 'count':
      return { factor: 1, format: ',~s', title: null, zero: true };
    case 'money':
      return { factor: 1, format: ',~s', title: null, zero: false };
    case 'score':
    case 'ratio':
      return { factor: 1, format: '.2~f', title: null, zero: false };
    case 'per_100':
      return { factor: 1, format: '.1~f', title: 'per 100', zero: true };
    case 'per_day':
      return { factor: 1, format: '.1~f', title: 'per day', zero: true };
  }
}

function scaled(value: number | null, factor: number): number | null {
  return value === null || !Number.isFinite(value) ? null : value / factor;
}

/** `▲ +2.1` / `▼ -3.0 pp`, and whether that is better, worse or neither for the metric. */
function changeBadge(entry: MetricEntry): { text: string; tone: 'better' | 'worse' | 'flat' } | null {
  const change = entry.change;
  if (!change) return null;
  const arrow = change.difference > 0 ? '▲' : change.difference < 0 ? '▼' : '=';
  const text = `${arrow} ${formatChange(change.difference, entry.unit)}`;
  if (change.significant !== true || entry.direction === 'neutral' || change.difference === 0) return { text, tone: 'flat' };
  return { text, tone: (change.difference > 0) === (entry.direction === 'higher') ? 'better' : 'worse' };
}

function significanceText(entry: MetricEntry): string {
  const change = entry.change;
  if (!change) return '';
  if (change.significant === null) return 'no test';
  const p = change.p === null ? '' : `, p ${formatP(change.p) === '<0.001' ? '< 0.001' : `= ${formatP(change.p)}`}`;
  return change.significant ? `significant${p}` : `not significant${p}`;
}

// ---------------------------------------------------------------------------------------
// the page

class ChartIds {
  private n = 0;
  next(): string {
    return `chart-${++this.n}`;
  }
}

interface Series {
  head: MetricEntry;
  points: MetricEntry[];
}

/** Period rows of the unsegmented metrics, per metric id, in model (time) order. */
function seriesById(model: ReportModel): Map<string, MetricEntry[]> {
  const out = new Map<string, MetricEntry[]>();
  for (const m of model.metrics) {
    if (m.period === null || m.segment !== null) continue;
    let list = out.get(m.id);
    if (!list) out.set(m.id, (list = []));
    list.push(m);
  }
  return out;
}

export async function renderReportHtml(model: ReportModel, options: HtmlReportOptions): Promise<string> {
  const ids = new ChartIds();
  const title = options.title?.trim() || DEFAULT_TITLE;
  const overall = model.metrics.filter((m) => m.period === null);
  const headline = overall.filter((m) => m.segment === null);
  const series = seriesById(model);
  const sections: { id: string; title: string; html: string }[] = [];

  const tiles = await renderTiles(headline, series, model, ids);
  if (tiles) sections.push({ id: 'headline', title: 'Headline', html: tiles });
  const trends = await renderTrends(headline, series, model, ids);
  if (trends) sections.push({ id: 'trends', title: `By ${model.settings.period ?? 'period'}`, html: trends });
  const distributions = await renderDistributions(headline, ids);
  if (distributions) sections.push({ id: 'distributions', title: 'Answers and volumes', html: distributions });
  if (options.drivers) {
    sections.push({ id: 'drivers', title: `Drivers of ${options.drivers.label}`, html: await renderDrivers(options.drivers, ids) });
    const themes = renderThemes(options.drivers);
    if (themes) sections.push({ id: 'themes', title: 'Comment themes', html: themes });
  } else if (options.driversNote) {
    sections.push({ id: 'drivers', title: 'Drivers', html: `<p class="muted">${esc(options.driversNote)}</p>` });
  }
  sections.push({ id: 'metrics', title: 'Every metric', html: renderMetricTables(overall, series, model) });
  const notes = renderNotComputed(model);
  if (notes) sections.push({ id: 'not-computed', title: 'Not computed, and warnings', html: notes });
  sections.push({ id: 'inputs', title: 'Inputs and row accounting', html: renderInputs(model, options.rejects ?? []) });
  sections.push({ id: 'definitions', title: 'Definitions', html: renderDefinitions(model, options.definitions) });

  const style = STYLES.trim();
  const script = SCRIPT;
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${sha256(style)}'`,
    `script-src 'sha256-${sha256(script)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="generator" content="cxm">',
    `<title>${esc(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    renderHeader(model, options, title),
    `<nav class="toc" aria-label="Sections"><ol>${sections.map((s) => `<li><a href="#${s.id}">${esc(s.title)}</a></li>`).join('')}</ol></nav>`,
    '<main>',
    ...sections.map((s) => `<section id="${s.id}" aria-labelledby="${s.id}-h">\n<h2 id="${s.id}-h">${esc(s.title)}</h2>\n${s.html}\n</section>`),
    '</main>',
    `<footer>Made by cxm · ${options.nowSource === 'option' ? 'report time (--now)' : 'made at'} <time datetime="${esc(options.now)}">${esc(displayTime(options.now))}</time> · ${esc(legend(model))}</footer>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
  ];
  return `${out.join('\n')}\n`;
}

/** `2025-07-01T09:30:00+02:00` → `2025-07-01 09:30 +02:00`. */
function displayTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} ${m[3] === 'Z' || m[3] === undefined ? 'UTC' : m[3]}`;
}

function legend(model: ReportModel): string {
  return `95% CI: 95% confidence interval; significant: the change from the previous period has p < 0.05; ⚠: fewer than ${model.settings.min_sample} answers`;
}

function renderHeader(model: ReportModel, options: HtmlReportOptions, title: string): string {
  const s = model.settings;
  const scope = [
    s.range ? `Data from ${s.range[0].slice(0, 10)} to ${s.range[1].slice(0, 10)}` : 'No dated records',
    s.since || s.until ? `filtered to ${s.since ? `from ${s.since.slice(0, 10)}` : ''}${s.since && s.until ? ' ' : ''}${s.until ? `before ${s.until.slice(0, 10)}` : ''}` : null,
    s.period ? `by ${s.period}` : null,
    s.by.length ? `segments: ${s.by.join(', ')}` : null,
    `time zone ${s.timezone}`,
    s.time === 'business' ? 'times in business hours' : null,
  ].filter((x): x is string => x !== null);
  const t = model.totals;
  const made =
    options.nowSource === 'option'
      ? `Report time <time datetime="${esc(options.now)}">${esc(displayTime(options.now))}</time> (set with --now)`
      : `Made <time datetime="${esc(options.now)}">${esc(displayTime(options.now))}</time>`;
  return [
    '<header class="report">',
    `<h1>${esc(title)}</h1>`,
    `<p class="scope">${esc(scope.join(' · '))}</p>`,
    `<p class="made">${made} from ${plural(model.inputs.length, 'input file')}, ${plural(t.read, 'row')} read (${formatInt(t.accepted)} accepted, ${formatInt(t.duplicate)} duplicate, ${formatInt(t.rejected)} rejected).</p>`,
    '</header>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// headline tiles

async function renderTiles(headline: MetricEntry[], series: Map<string, MetricEntry[]>, model: ReportModel, ids: ChartIds): Promise<string | null> {
  let chosen = HEADLINE.map((id) => headline.find((m) => m.id === id && m.value !== null)).filter((m): m is MetricEntry => m !== undefined);
  if (chosen.length < 4) chosen = [...chosen, ...headline.filter((m) => m.value !== null && !chosen.includes(m))].slice(0, 8);
  if (chosen.length === 0) return null;
  const tiles: string[] = [];
  for (const m of chosen) {
    const points = series.get(m.id) ?? [];
    const last = points[points.length - 1];
    const before = points[points.length - 2];
    const lines: string[] = [`<article class="tile" aria-labelledby="tile-${m.id}">`, `<h3 id="tile-${m.id}">${esc(m.label)}</h3>`];
    lines.push(`<div class="value">${esc(formatValue(m.value, m.unit))}</div>`);
    const ci = formatInterval(m.ci95, m.unit);
    const sample = m.small_sample ? ` · <span class="small-sample" title="fewer than ${model.settings.min_sample} answers">⚠ small sample</span>` : '';
    lines.push(`<div class="ci">${ci ? `<span>95% CI ${esc(ci)}</span> · ` : ''}<span>n = ${formatInt(m.n)}</span>${sample}</div>`);
    const badge = last ? changeBadge(last) : null;
    if (last && badge && before) {
      lines.push(
        `<div class="change"><span class="badge ${badge.tone}">${esc(badge.text)}</span> <span class="muted">vs ${esc(before.period!)}</span><div class="sig" title="${esc(significanceText(last))}">${esc(last.period!)}: ${esc(formatValue(last.value, last.unit))} · ${esc(significanceText(last).replace(/, p .*$/, ''))}</div></div>`,
      );
    } else if (last) {
      lines.push(`<div class="change"><div class="sig">${esc(last.period!)}: ${esc(formatValue(last.value, last.unit))}</div></div>`);
    } else {
      lines.push('<div class="change"></div>');
    }
    const present = points.filter((p) => p.value !== null);
    if (present.length >= 2) {
      const svg = await renderChartSvg(sparklineSpec(points.map((p) => ({ period: p.period!, value: p.value }))), {
        id: ids.next(),
        title: `${m.label} by ${model.settings.period}`,
        description: `${present.length} ${model.settings.period}s from ${points[0]!.period} (${formatValue(points[0]!.value, m.unit)}) to ${last!.period} (${formatValue(last!.value, m.unit)})`,
      });
      lines.push(`<div class="spark chart">${svg}<div class="ends"><span>${esc(points[0]!.period!)}</span><span>${esc(last!.period!)}</span></div></div>`);
    } else {
      lines.push('<div class="spark"></div>');
    }
    lines.push('</article>');
    tiles.push(lines.join('\n'));
  }
  const note = series.size === 0 ? '<p class="muted small">Values over the whole range. Run with <code>--period month</code> (or week, quarter…) for trends and changes.</p>' : '';
  return `${note}<div class="tiles">\n${tiles.join('\n')}\n</div>`;
}

// ---------------------------------------------------------------------------------------
// trends

async function renderTrends(headline: MetricEntry[], series: Map<string, MetricEntry[]>, model: ReportModel, ids: ChartIds): Promise<string | null> {
  if (series.size === 0) return null;
  const period = model.settings.period ?? 'period';
  const byDomain = new Map<Domain, string[]>();
  for (const head of headline) {
    const points = series.get(head.id);
    if (!points || points.filter((p) => p.value !== null).length < 2) continue;
    const figure = await trendFigure(head, points, period, ids);
    let list = byDomain.get(head.domain);
    if (!list) byDomain.set(head.domain, (list = []));
    list.push(figure);
  }
  if (byDomain.size === 0) return null;
  const out: string[] = [
    `<p class="muted small">Each metric ${period} by ${period}: the line is the value, the shaded band its 95% confidence interval, and <span aria-hidden="true">◆</span> marks a ${period} outside the band expected from the ${period}s before it (median ± 3 scaled MAD of the trailing ${period}s).</p>`,
  ];
  for (const [domain, figures] of byDomain) out.push(`<h3>${esc(DOMAIN_TITLES[domain])}</h3>`, `<div class="charts">\n${figures.join('\n')}\n</div>`);
  return out.join('\n');
}

async function trendFigure(head: MetricEntry, points: MetricEntry[], period: string, ids: ChartIds): Promise<string> {
  const axis = axisFormat(head.unit, points.flatMap((p) => [p.value, p.ci95?.[0] ?? null, p.ci95?.[1] ?? null]));
  const rows: TrendPoint[] = points.map((p) => {
    const ci = formatInterval(p.ci95, p.unit);
    const change = p.change ? `; ${formatChange(p.change.difference, p.unit)} vs the ${period} before (${significanceText(p)})` : '';
    const flag = p.anomaly?.flagged ? `; outside the expected band ${formatValue(p.anomaly.low, p.unit)} – ${formatValue(p.anomaly.high, p.unit)}` : '';
    return {
      period: p.period!,
      value: scaled(p.value, axis.factor),
      low: scaled(p.ci95?.[0] ?? null, axis.factor),
      high: scaled(p.ci95?.[1] ?? null, axis.factor),
      flagged: p.anomaly?.flagged === true,
      text: `${p.period}: ${formatValue(p.value, p.unit)}${ci ? ` (95% CI ${ci})` : ''}, n = ${formatInt(p.n)}${change}${flag}`,
    };
  });
  const present = points.filter((p): p is MetricEntry & { value: number } => p.value !== null);
  const first = present[0]!;
  const last = present[present.length - 1]!;
  let low = first;
  let high = first;
  for (const p of present) {
    if (p.value < low.value) low = p;
    if (p.value > high.value) high = p;
  }
  const flagged = points.filter((p) => p.anomaly?.flagged);
  const description =
    `${head.label} by ${period}, ${first.period} to ${last.period}: from ${formatValue(first.value, head.unit)} to ${formatValue(last.value, head.unit)}; ` +
    `lowest ${formatValue(low.value, head.unit)} (${low.period}), highest ${formatValue(high.value, head.unit)} (${high.period})` +
    (flagged.length ? `; ${flagged.length} ${flagged.length === 1 ? period : `${period}s`} outside the expected band: ${flagged.map((p) => p.period).join(', ')}` : '; none outside the expected band') +
    '.';
  const svg = await renderChartSvg(trendSpec(rows, axis), { id: ids.next(), title: `${head.label} by ${period}`, description });
  const unitNote = axis.title ? ` · ${axis.title}` : '';
  const table = [
    `<div class="sr-only"><table><caption>${esc(head.label)} by ${esc(period)}</caption>`,
    `<thead><tr><th scope="col">${esc(period)}</th><th scope="col">value</th><th scope="col">95% CI</th><th scope="col">n</th><th scope="col">change</th><th scope="col">anomaly</th></tr></thead><tbody>`,
    ...points.map(
      (p) =>
        `<tr><td>${esc(p.period!)}</td><td>${esc(formatValue(p.value, p.unit))}</td><td>${esc(formatInterval(p.ci95, p.unit))}</td><td>${formatInt(p.n)}</td><td>${p.change ? esc(`${formatChange(p.change.difference, p.unit)}, ${significanceText(p)}`) : ''}</td><td>${p.anomaly?.flagged ? 'outside the expected band' : ''}</td></tr>`,
    ),
    '</tbody></table></div>',
  ].join('');
  return `<figure class="chart"><figcaption>${esc(head.label)} <span class="sub">overall ${esc(formatValue(head.value, head.unit))}${flagged.length ? ` · ${flagged.length} anomal${flagged.length === 1 ? 'y' : 'ies'}` : ''}${esc(unitNote)}</span></figcaption>\n${svg}\n${table}</figure>`;
}

// ---------------------------------------------------------------------------------------
// distributions and volumes

function distributionCounts(detail: Record<string, unknown>): [string, number][] {
  const d = detail.distribution;
  if (d === null || typeof d !== 'object') return [];
  return Object.entries(d as Record<string, unknown>)
    .filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]))
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

function share(count: number, total: number): string {
  return total > 0 ? `${((count / total) * 100).toFixed(1)}%` : '—';
}

function dataTable(caption: string, head: string[], rows: string[][]): string {
  return `<div class="sr-only"><table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

const NPS_GROUPS = [
  { name: 'detractors (0-6)', color: PALETTE.vermillion },
  { name: 'passives (7-8)', color: PALETTE.orange },
  { name: 'promoters (9-10)', color: PALETTE.green },
];

async function renderDistributions(headline: MetricEntry[], ids: ChartIds): Promise<string | null> {
  const figures: string[] = [];
  const nps = headline.find((m) => m.id === 'nps');
  const npsCounts = nps ? distributionCounts(nps.detail) : [];
  if (nps && npsCounts.length) {
    const total = npsCounts.reduce((s, [, c]) => s + c, 0);
    const group = (score: number) => (score <= 6 ? NPS_GROUPS[0]! : score <= 8 ? NPS_GROUPS[1]! : NPS_GROUPS[2]!).name;
    const rows: DistributionRow[] = npsCounts.map(([score, count]) => ({
      score,
      count,
      group: group(Number(score)),
      display: formatInt(count),
      text: `score ${score}: ${formatInt(count)} answers (${share(count, total)}), ${group(Number(score))}`,
    }));
    const d = nps.detail as { promoters?: number; passives?: number; detractors?: number };
    const parts = [`promoters ${share(d.promoters ?? 0, total)}`, `passives ${share(d.passives ?? 0, total)}`, `detractors ${share(d.detractors ?? 0, total)}`];
    const description = `${formatInt(total)} NPS answers by score 0 to 10: ${parts.join(', ')}; NPS ${formatValue(nps.value, nps.unit)} = promoters minus detractors.`;
    const svg = await renderChartSvg(distributionSpec(rows, NPS_GROUPS, { xTitle: 'likelihood to recommend (0-10)' }), { id: ids.next(), title: 'NPS answers by score', description });
    figures.push(
      `<figure class="chart"><figcaption>NPS answers by score <span class="sub">${esc(parts.join(' · '))} · n = ${formatInt(total)}</span></figcaption>\n${svg}\n${dataTable('NPS answers by score', ['score', 'answers', 'share', 'group'], rows.map((r) => [r.score, formatInt(r.count), share(r.count, total), r.group]))}</figure>`,
    );
  }
  for (const id of ['csat', 'ces'] as const) {
    const m = headline.find((x) => x.id === id);
    const counts = m ? distributionCounts(m.detail) : [];
    if (!m || !counts.length) continue;
    const total = counts.reduce((s, [, c]) => s + c, 0);
    const detail = m.detail as { positive_from?: number; low_effort_from?: number; direction?: string };
    let good: (score: number) => boolean;
    let names: [string, string];
    if (id === 'csat') {
      const from = detail.positive_from ?? Infinity;
      good = (s) => s >= from;
      names = [`satisfied (${from} or above)`, 'not satisfied'];
    } else {
      const from = detail.low_effort_from ?? Infinity;
      const higherEasier = detail.direction !== 'lower-is-easier';
      good = (s) => (higherEasier ? s >= from : s <= from);
      names = [`low effort (${from} or ${higherEasier ? 'above' : 'below'})`, 'more effort'];
    }
    const groups = [
      { name: names[1], color: PALETTE.grey },
      { name: names[0], color: PALETTE.blue },
    ];
    const rows: DistributionRow[] = counts.map(([score, count]) => {
      const g = good(Number(score)) ? names[0] : names[1];
      return { score, count, group: g, display: formatInt(count), text: `score ${score}: ${formatInt(count)} answers (${share(count, total)}), ${g}` };
    });
    const goodCount = rows.filter((r) => r.group === names[0]).reduce((s, r) => s + r.count, 0);
    const title = `${id === 'csat' ? 'CSAT' : 'CES'} answers by score`;
    const description = `${formatInt(total)} ${id.toUpperCase()} answers by score ${counts[0]![0]} to ${counts[counts.length - 1]![0]}: ${names[0]} ${share(goodCount, total)}; ${m.label} ${formatValue(m.value, m.unit)}.`;
    const svg = await renderChartSvg(distributionSpec(rows, groups, { xTitle: 'score' }), { id: ids.next(), title, description });
    figures.push(
      `<figure class="chart"><figcaption>${esc(title)} <span class="sub">${esc(`${names[0]} ${share(goodCount, total)} · n = ${formatInt(total)}`)}</span></figcaption>\n${svg}\n${dataTable(title, ['score', 'answers', 'share'], rows.map((r) => [r.score, formatInt(r.count), share(r.count, total)]))}</figure>`,
    );
  }
  const volume = headline.find((m) => m.id === 'ticket_volume');
  const byChannel = volume?.detail.by_channel;
  if (volume && byChannel !== null && typeof byChannel === 'object') {
    const entries = Object.entries(byChannel as Record<string, { count?: unknown; share?: unknown }>)
      .filter((e): e is [string, { count: number; share?: unknown }] => typeof e[1]?.count === 'number')
      .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (entries.length) {
      const total = volume.value ?? entries.reduce((s, [, v]) => s + v.count, 0);
      const rows: BarRow[] = entries.map(([channel, v]) => ({
        label: channel,
        value: v.count,
        display: `${formatInt(v.count)} (${share(v.count, total)})`,
        text: `${channel}: ${formatInt(v.count)} tickets (${share(v.count, total)})`,
      }));
      const description = `${formatInt(total)} tickets by channel: ${rows.map((r) => `${r.label} ${r.display}`).join(', ')}.`;
      const svg = await renderChartSvg(barsSpec(rows, { xTitle: 'tickets' }), { id: ids.next(), title: 'Tickets by channel', description });
      figures.push(
        `<figure class="chart"><figcaption>Tickets by channel <span class="sub">${formatInt(total)} tickets</span></figcaption>\n${svg}\n${dataTable('Tickets by channel', ['channel', 'tickets', 'share'], rows.map((r) => [r.label, formatInt(r.value), share(r.value, total)]))}</figure>`,
      );
    }
  }
  return figures.length ? `<div class="charts wide">\n${figures.join('\n')}\n</div>` : null;
}

// ---------------------------------------------------------------------------------------
// drivers and themes

function harmful(difference: number, direction: 'higher' | 'lower'): boolean {
  return direction === 'higher' ? difference < 0 : difference > 0;
}

const TONES = [
  { name: 'worse, q < 0.05', color: PALETTE.vermillion },
  { name: 'worse, not significant', color: '#F2B48C' },
  { name: 'better, q < 0.05', color: PALETTE.blue },
  { name: 'better, not significant', color: '#9CC9E8' },
];

function groupText(g: { n: number; value: number | null }, unit: Unit): string {
  return `${formatValue(g.value, unit)} (n = ${formatInt(g.n)})`;
}

async function renderDrivers(analysis: DriversAnalysis, ids: ChartIds): Promise<string> {
  const unit = analysis.unit;
  const out: string[] = [
    `<p>${formatInt(analysis.overall.n)} ${esc(analysis.label)} outcomes, overall ${esc(formatValue(analysis.overall.value, unit))}. Each exposure compares the outcomes of customers who had it within ${analysis.window_days} days before with those who had not; rows are ranked by impact (how far the exposure moves the overall figure).</p>`,
  ];
  const ranked = analysis.drivers.filter((r): r is DriverRow & { difference: number; ci95: [number, number] } => r.ranked && r.difference !== null && r.ci95 !== null);
  const shown = ranked.slice(0, MAX_DRIVER_BARS);
  if (shown.length) {
    const pp = unit === 'share';
    const k = pp ? 100 : 1;
    const rows: EffectRow[] = shown.map((r) => {
      const worse = harmful(r.difference, analysis.direction);
      const significant = r.q !== null && r.q < 0.05;
      const tone = `${worse ? 'worse' : 'better'}, ${significant ? 'q < 0.05' : 'not significant'}`;
      return {
        label: r.label,
        difference: r.difference * k,
        low: r.ci95[0] * k,
        high: r.ci95[1] * k,
        tone,
        text: `${r.label}: ${formatDifference(r.difference, unit)} (95% CI ${formatDifferenceInterval(r.ci95, unit)}), exposed ${groupText(r.exposed, unit)} vs ${groupText(r.unexposed, unit)}, q = ${formatP(r.q)}, impact ${formatDifference(r.impact, unit)}`,
      };
    });
    const present = TONES.filter((t) => rows.some((r) => r.tone === t.name));
    const worst = shown.filter((r) => harmful(r.difference, analysis.direction) && r.q !== null && r.q < 0.05);
    const description =
      `The ${shown.length} exposures with the largest impact on ${analysis.label}, as the difference exposed minus unexposed with its 95% interval. ` +
      (worst.length ? `Clearly worse (q < 0.05): ${worst.map((r) => `${r.label} ${formatDifference(r.difference, unit)}`).join('; ')}.` : 'None is clearly worse at q < 0.05.');
    const xTitle = `${analysis.label}: exposed − unexposed${pp ? ' (percentage points)' : unit === 'points' ? ' (points)' : ''}`;
    const svg = await renderChartSvg(effectsSpec(rows, present, { xTitle, format: pp || unit === 'points' ? ',.0f' : '.2~f' }), {
      id: ids.next(),
      title: `Drivers of ${analysis.label}`,
      description,
    });
    out.push(
      `<div class="charts"><figure class="chart full"><figcaption>Drivers of ${esc(analysis.label)}, ranked by impact <span class="sub">bars: difference exposed − unexposed; whiskers: 95% CI; colour: worse or better, and whether q &lt; 0.05 (Benjamini-Hochberg)${ranked.length > shown.length ? `; top ${shown.length} of ${ranked.length}` : ''}</span></figcaption>\n${svg}</figure></div>`,
    );
  } else {
    out.push('<p class="muted">No exposure has enough outcomes in both groups to be ranked.</p>');
  }
  if (analysis.drivers.length) {
    const body = analysis.drivers.map((r, i) => {
      const rank = r.ranked ? String(analysis.drivers.slice(0, i + 1).filter((x) => x.ranked).length) : '–';
      return `<tr><td class="num" data-v="${r.ranked ? rank : ''}">${rank}</td><td>${esc(r.label)}</td><td class="num" data-v="${dataV(r.exposed.value)}">${esc(groupText(r.exposed, unit))}</td><td class="num" data-v="${dataV(r.unexposed.value)}">${esc(groupText(r.unexposed, unit))}</td><td class="num" data-v="${dataV(r.difference)}">${esc(formatDifference(r.difference, unit))}</td><td class="num">${esc(formatDifferenceInterval(r.ci95, unit))}</td><td class="num" data-v="${dataV(r.q)}">${r.ranked ? esc(formatP(r.q)) : `n &lt; ${analysis.min_group}`}</td><td class="num" data-v="${dataV(r.impact)}">${esc(formatDifference(r.impact, unit))}</td></tr>`;
    });
    out.push(
      `<div class="table-wrap"><table class="sortable"><caption class="sr-only">Every exposure compared</caption><thead><tr><th class="num" scope="col">#</th><th scope="col">exposure</th><th class="num" scope="col">exposed</th><th class="num" scope="col">unexposed</th><th class="num" scope="col">difference</th><th class="num" scope="col">95% CI</th><th class="num" scope="col">q</th><th class="num" scope="col">impact</th></tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`,
    );
  }
  out.push(
    `<p class="note">${esc(analysis.note)} ${esc(analysis.impact_formula)}. Outcome: ${esc(analysis.outcome_definition)}. Method: ${esc(analysis.method)}.</p>`,
  );
  if (analysis.warnings.length) out.push(`<ul class="plain small muted">${analysis.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  return out.join('\n');
}

function renderThemes(analysis: DriversAnalysis): string | null {
  const out: string[] = [];
  if (analysis.themes.length) {
    const [a, b] = analysis.theme_groups;
    out.push(
      `<p>Words and phrases of the comments most over-represented among ${esc(a)} compared with ${esc(b)}, and the other way round (weighted log-odds, |z| &gt; 1.96), each with a comment that uses it.</p>`,
      '<div class="table-wrap"><table class="sortable"><caption class="sr-only">Comment themes</caption><thead><tr><th scope="col">word or phrase</th><th scope="col">more among</th><th class="num" scope="col">comments</th><th class="num" scope="col">z</th><th scope="col">example</th></tr></thead><tbody>',
      ...analysis.themes.map(
        (t) =>
          `<tr><td><strong>${esc(t.term)}</strong></td><td>${esc(t.group)}</td><td class="num" data-v="${t.count}">${formatInt(t.count)} vs ${formatInt(t.other_count)}</td><td class="num" data-v="${dataV(t.z)}">${t.z.toFixed(1)}</td><td class="example">${t.example === null ? '' : `“${esc(t.example)}”`}</td></tr>`,
      ),
      '</tbody></table></div>',
    );
  }
  if (analysis.theme_dictionary.length) {
    out.push(
      '<h3>Theme dictionary</h3>',
      '<div class="table-wrap"><table class="sortable"><thead><tr><th scope="col">theme</th><th scope="col">keywords</th><th class="num" scope="col">comments</th><th class="num" scope="col">value</th><th class="num" scope="col">impact</th></tr></thead><tbody>',
      ...analysis.theme_dictionary.map(
        (t) =>
          `<tr><td>${esc(t.theme)}</td><td>${esc(t.keywords.join(', '))}</td><td class="num" data-v="${t.count}">${formatInt(t.count)}</td><td class="num" data-v="${dataV(t.value)}">${esc(formatValue(t.value, analysis.unit))}</td><td class="num" data-v="${dataV(t.impact)}">${esc(formatDifference(t.impact, analysis.unit))}</td></tr>`,
      ),
      '</tbody></table></div>',
    );
  }
  return out.length ? out.join('\n') : null;
}

// ---------------------------------------------------------------------------------------
// every metric

function renderMetricTables(overall: MetricEntry[], series: Map<string, MetricEntry[]>, model: ReportModel): string {
  const hasPeriods = series.size > 0;
  const out: string[] = [];
  for (const domain of [...new Set(overall.map((m) => m.domain))]) {
    const rows = overall.filter((m) => m.domain === domain);
    const head = ['metric', 'value', '95% CI', 'n', ...(hasPeriods ? [`last ${model.settings.period} vs the one before`] : [])];
    const body = rows.map((m) => {
      const points = m.segment === null ? (series.get(m.id) ?? []) : model.metrics.filter((x) => x.period !== null && x.id === m.id && segmentLabel(x.segment) === segmentLabel(m.segment));
      const last = points[points.length - 1];
      const badge = last ? changeBadge(last) : null;
      const warn = m.small_sample ? ` <span class="small-sample" title="fewer than ${model.settings.min_sample} answers">⚠</span>` : '';
      const cells = [
        `<td>${esc(m.segment ? segmentLabel(m.segment) : m.label)}</td>`,
        `<td class="num" data-v="${dataV(m.value)}">${esc(formatValue(m.value, m.unit))}${warn}</td>`,
        `<td class="num">${esc(formatInterval(m.ci95, m.unit))}</td>`,
        `<td class="num" data-v="${m.n}">${formatInt(m.n)}</td>`,
      ];
      if (hasPeriods) {
        cells.push(
          `<td data-v="${dataV(last?.change?.difference)}">${badge && last ? `<span class="badge ${badge.tone}">${esc(badge.text)}</span> <span class="muted small">${esc(significanceText(last))}</span>` : ''}</td>`,
        );
      }
      return `<tr${m.segment ? ' class="segment"' : ''}>${cells.join('')}</tr>`;
    });
    out.push(
      `<h3>${esc(DOMAIN_TITLES[domain])}</h3>`,
      `<div class="table-wrap"><table class="sortable metrics${hasPeriods ? ' with-change' : ''}"><colgroup>${head.map(() => '<col>').join('')}</colgroup><thead><tr>${head.map((h, i) => `<th scope="col"${i > 0 && i < 4 ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`,
    );
  }
  if (!out.length) out.push('<p class="muted">No metric could be computed from these inputs.</p>');
  return out.join('\n');
}

function renderNotComputed(model: ReportModel): string | null {
  const out: string[] = [];
  if (model.unavailable.length) {
    const byReason = new Map<string, string[]>();
    for (const u of model.unavailable) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.id]);
    out.push(
      '<h3>Not computed</h3>',
      `<ul class="plain">${[...byReason].map(([reason, list]) => `<li>${list.map((id) => `<code>${esc(id)}</code>`).join(', ')}: <span class="muted">${esc(reason)}</span></li>`).join('')}</ul>`,
    );
  }
  if (model.warnings.length) out.push('<h3>Warnings</h3>', `<ul class="plain">${model.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  return out.length ? out.join('\n') : null;
}

// ---------------------------------------------------------------------------------------
// inputs, rejects, definitions

function renderInputs(model: ReportModel, rejects: readonly RejectEntry[]): string {
  const t = model.totals;
  const out: string[] = [
    `<p class="accounting">${plural(t.read, 'row')} read = <strong>${formatInt(t.accepted)}</strong> accepted + <strong>${formatInt(t.duplicate)}</strong> duplicate + <strong>${formatInt(t.rejected)}</strong> rejected. Every input row ends as exactly one of these.</p>`,
  ];
  const rows = model.inputs.map((i) => {
    const read = [i.format, i.encoding, i.delimiter === null ? null : `“${i.delimiter === '\t' ? 'tab' : i.delimiter}”`, i.compressed ? 'gzip' : null].filter((x): x is string => x !== null).join(', ');
    const kind = i.kind ?? i.status;
    const note = i.status === 'read' ? '' : ` <span class="muted">(${esc(i.status)}${i.reason ? `: ${esc(i.reason)}` : ''})</span>`;
    return `<tr><td><code>${esc(i.file)}</code>${note}</td><td>${esc(kind)}</td><td>${esc(read)}</td><td class="nowrap">${i.date_range ? esc(`${i.date_range[0]} – ${i.date_range[1]}`) : ''}</td><td class="num" data-v="${i.read}">${formatInt(i.read)}</td><td class="num" data-v="${i.accepted}">${formatInt(i.accepted)}</td><td class="num" data-v="${i.duplicate}">${formatInt(i.duplicate)}</td><td class="num" data-v="${i.rejected}">${formatInt(i.rejected)}</td></tr>`;
  });
  out.push(
    '<div class="table-wrap"><table class="sortable"><caption class="sr-only">Inputs</caption><thead><tr><th scope="col">file</th><th scope="col">kind</th><th scope="col">read as</th><th scope="col">dates</th><th class="num" scope="col">read</th><th class="num" scope="col">accepted</th><th class="num" scope="col">duplicate</th><th class="num" scope="col">rejected</th></tr></thead><tbody>',
    ...rows,
    `</tbody><tfoot><tr><td>${plural(model.inputs.length, 'input')}</td><td></td><td></td><td></td><td class="num">${formatInt(t.read)}</td><td class="num">${formatInt(t.accepted)}</td><td class="num">${formatInt(t.duplicate)}</td><td class="num">${formatInt(t.rejected)}</td></tr></tfoot></table></div>`,
  );
  if (rejects.length) {
    out.push(
      `<h3>Rejected rows${t.rejected > rejects.length ? `: the first ${formatInt(rejects.length)} of ${formatInt(t.rejected)}` : ''}</h3>`,
      '<div class="table-wrap"><table class="sortable"><thead><tr><th scope="col">file</th><th class="num" scope="col">line</th><th scope="col">column</th><th scope="col">value</th><th scope="col">reason</th></tr></thead><tbody>',
      ...rejects.map(
        (r) =>
          `<tr><td><code>${esc(r.file)}</code></td><td class="num" data-v="${r.line}">${r.line}</td><td>${esc(r.column ?? '')}</td><td>${r.value === null ? '' : `<code>${esc(r.value)}</code>`}</td><td>${esc(r.reason)}</td></tr>`,
      ),
      '</tbody></table></div>',
      '<p class="muted small"><code>cxm inspect</code> lists every rejected row; <code>--rejects rejects.csv</code> writes them all.</p>',
    );
  } else if (t.rejected === 0) {
    out.push('<p class="muted small">No row was rejected.</p>');
  }
  return out.join('\n');
}

function renderDefinitions(model: ReportModel, definitions: readonly MetricDefinitionText[]): string {
  const shown = new Set(model.metrics.map((m) => m.id));
  const items = definitions.filter((d) => shown.has(d.id));
  if (!items.length) return '<p class="muted">No metric shown.</p>';
  return `<dl class="definitions">\n${items
    .map((d) => `<dt>${esc(d.label)} <code>${esc(d.id)}</code></dt><dd>${esc(d.formula)} <span class="needs">unit: ${esc(d.unit)} · needs: ${esc(d.needs)}</span></dd>`)
    .join('\n')}\n</dl>`;
}
