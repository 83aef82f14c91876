/**
 * `cxm report` as a terminal table: a section per domain, values humanised, colour by direction
 * (better / worse than the previous period), small samples dimmed, a sparkline per series, and the
 * row accounting at the foot.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Domain } from '../metrics/types.js';
import { bar, formatChange, formatInterval, formatValue, sparkline } from './format.js';
import type { MetricEntry, ReportModel } from './model.js';
import { formatInt, oneLine } from './text.js';

/** The heading of each domain's section, in every format that groups metrics by domain. */
export const DOMAIN_TITLES: Record<Domain, string> = {
  surveys: 'Surveys',
  tickets: 'Tickets',
  calls: 'Calls',
  commerce: 'Orders, returns and invoices',
  customers: 'Customers',
  social: 'Social media',
  journey: 'Journey',
};

export function segmentLabel(segment: Record<string, string> | null): string {
  if (!segment) return '';
  return Object.entries(segment)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function changeCell(entry: MetricEntry, c: ChalkInstance): string {
  const change = entry.change;
  if (!change) return '';
  const text = formatChange(change.difference, entry.unit);
  const better = entry.direction === 'neutral' || change.difference === 0 ? null : (change.difference > 0) === (entry.direction === 'higher');
  const mark = change.significant === true ? ' *' : change.significant === false ? c.dim(' (ns)') : '';
  const colored = better === null ? text : better ? c.green(text) : c.red(text);
  return `${colored}${mark}`;
}

export function renderReportTable(model: ReportModel, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? (chalk.level || 1) : 0 });
  const out: string[] = [];
  const overall = model.metrics.filter((m) => m.period === null);
  const series = new Map<string, MetricEntry[]>();
  for (const m of model.metrics) {
    if (m.period === null) continue;
    const key = `${m.id}\u0000${segmentLabel(m.segment)}`;
    let list = series.get(key);
    if (!list) series.set(key, (list = []));
    list.push(m);
  }
  const hasPeriods = series.size > 0;
  const domains = [...new Set(overall.map((m) => m.domain))];
  for (const domain of domains) {
    const head = ['metric', 'value', '95% CI', 'n'];
    if (hasPeriods) head.push(`by ${model.settings.period}`, 'last change');
    const table = new Table({
      head,
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
      colAligns: ['left', 'right', 'right', 'right', 'left', 'right'],
    });
    for (const m of overall.filter((x) => x.domain === domain)) {
      const label = m.segment ? `  ${oneLine(segmentLabel(m.segment), 40)}` : m.label;
      const dim = (text: string) => (m.small_sample ? c.dim(text) : text);
      const row = [dim(label), dim(formatValue(m.value, m.unit)), dim(formatInterval(m.ci95, m.unit)), dim(formatInt(m.n))];
      if (hasPeriods) {
        const points = series.get(`${m.id}\u0000${segmentLabel(m.segment)}`) ?? [];
        const last = points[points.length - 1];
        row.push(sparkline(points.map((p) => p.value)), last ? changeCell(last, c) : '');
      }
      table.push(row);
    }
    out.push(c.bold(DOMAIN_TITLES[domain]), table.toString(), '');
    if (domain === 'surveys') out.push(...renderScoreDistributions(overall, c));
  }
  if (hasPeriods) {
    out.push(...renderPeriodMatrix(model, c), '');
  }
  if (model.unavailable.length) {
    // Many metrics share one reason ("no call records among the inputs"): one line per reason.
    out.push(c.bold('Not computed'));
    const byReason = new Map<string, string[]>();
    for (const u of model.unavailable) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.id]);
    for (const [reason, ids] of byReason) out.push(`  ${ids.join(', ')}: ${c.dim(oneLine(reason, 140))}`);
    out.push('');
  }
  if (model.warnings.length) {
    out.push(c.bold('Warnings'));
    for (const w of model.warnings) out.push(`  ${c.yellow('!')} ${oneLine(w, 160)}`);
    out.push('');
  }
  const t = model.totals;
  out.push(
    c.dim(
      `${model.inputs.length} input${model.inputs.length === 1 ? '' : 's'}: ${formatInt(t.read)} rows read = ${formatInt(t.accepted)} accepted + ${formatInt(t.duplicate)} duplicate + ${formatInt(t.rejected)} rejected${model.settings.range ? `; data ${model.settings.range[0].slice(0, 10)} … ${model.settings.range[1].slice(0, 10)}` : ''}${clockNote(model)}; * = significant change (p < 0.05), dimmed = fewer than ${model.settings.min_sample} answers`,
    ),
  );
  return `${out.join('\n')}\n`;
}

/** Which clock the times use and, with a schedule, which schedule rule (--time, --schedule-rule). */
function clockNote(model: ReportModel): string {
  const { time, schedule_rule: rule } = model.settings;
  if (time === undefined || (time === 'calendar' && !rule)) return '';
  return `; times in ${time === 'business' ? 'business' : 'calendar'} hours${rule ? `, schedule rule ${rule}` : ''}`;
}

/** Periods down, the overall (unsegmented) metrics of each domain across, each cell with its change mark. */
function renderPeriodMatrix(model: ReportModel, c: ChalkInstance): string[] {
  const rows = model.metrics.filter((m) => m.period !== null && m.segment === null);
  const ids = [...new Set(rows.map((m) => m.id))];
  const periods = [...new Set(rows.map((m) => m.period!))];
  const byKey = new Map(rows.map((m) => [`${m.id}\u0000${m.period}`, m]));
  const out: string[] = [c.bold(`By ${model.settings.period}`)];
  // Keep the matrix readable: at most 7 metrics per table.
  for (let i = 0; i < ids.length; i += 7) {
    const chunk = ids.slice(i, i + 7);
    const labels = chunk.map((id) => rows.find((m) => m.id === id)!.id);
    const table = new Table({ head: ['period', ...labels], colAligns: ['left', ...chunk.map(() => 'right' as const)], style: { head: [], border: [] } });
    for (const period of periods) {
      table.push([
        period,
        ...chunk.map((id) => {
          const m = byKey.get(`${id}\u0000${period}`);
          if (!m) return '';
          const text = formatValue(m.value, m.unit);
          const sig = m.change?.significant ? (m.change.difference > 0 ? ' ▲' : ' ▼') : '';
          return m.small_sample ? c.dim(text + sig) : text + sig;
        }),
      ]);
    }
    out.push(table.toString());
  }
  return out;
}

/**
 * Under the Surveys table: the NPS answers by score 0-10 and the CSAT answers by score, as bars
 * scaled to the most frequent score (NPS scores coloured as detractor, passive, promoter).
 */
export function renderScoreDistributions(overall: readonly MetricEntry[], c: ChalkInstance): string[] {
  const out: string[] = [];
  for (const id of ['nps', 'csat'] as const) {
    const m = overall.find((x) => x.id === id && x.segment === null);
    const raw = m?.detail.distribution;
    if (!m || raw === null || typeof raw !== 'object') continue;
    const counts = Object.entries(raw as Record<string, unknown>)
      .filter((e): e is [string, number] => typeof e[1] === 'number')
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const top = Math.max(0, ...counts.map(([, n]) => n));
    if (total === 0) continue;
    const positiveFrom = typeof m.detail.positive_from === 'number' ? m.detail.positive_from : null;
    out.push(c.bold(id === 'nps' ? `NPS answers by score (n = ${formatInt(total)})` : `CSAT answers by score (n = ${formatInt(total)}${positiveFrom === null ? '' : `; satisfied: ${positiveFrom} or above`})`));
    const width = Math.max(...counts.map(([score]) => score.length));
    const countWidth = formatInt(top).length;
    for (const [score, n] of counts) {
      const s = Number(score);
      const tint =
        id === 'nps' ? (s <= 6 ? c.red : s <= 8 ? c.yellow : c.green) : positiveFrom !== null && s >= positiveFrom ? c.green : (text: string) => text;
      const cells = bar(top > 0 ? n / top : 0, 24);
      // The group's name on its first score, so the groups read without colour too.
      const group = id === 'nps' ? (s === 0 ? 'detractors' : s === 7 ? 'passives' : s === 9 ? 'promoters' : '') : s === positiveFrom ? 'satisfied' : '';
      out.push(`  ${score.padStart(width)} ${tint(cells.padEnd(24))} ${formatInt(n).padStart(countWidth)}  ${`${((n / total) * 100).toFixed(1)}%`.padStart(5)}${group ? `  ${c.dim(group)}` : ''}`);
    }
    out.push('');
  }
  return out;
}
