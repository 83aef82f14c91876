/**
 * `cxm report --format md`: GitHub-flavoured Markdown for a PR comment or a wiki page.
 */
import { formatChange, formatInterval, formatValue } from './format.js';
import type { ReportModel } from './model.js';
import { segmentLabel } from './render-report.js';
import { oneLine } from './text.js';

/** Escapes text for a Markdown table cell. */
export function mdCell(text: string): string {
  return oneLine(text, 200).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderReportMarkdown(model: ReportModel): string {
  const out: string[] = ['# Customer-experience report', ''];
  const s = model.settings;
  const scope = [s.range ? `Data from ${s.range[0].slice(0, 10)} to ${s.range[1].slice(0, 10)}` : null, s.period ? `by ${s.period}` : null, s.by.length ? `segments: ${s.by.join(', ')}` : null, `time zone ${s.timezone}`]
    .filter(Boolean)
    .join('; ');
  out.push(`${scope}.`, '');
  const overall = model.metrics.filter((m) => m.period === null);
  out.push('| metric | segment | value | 95% CI | n |', '| --- | --- | ---: | ---: | ---: |');
  for (const m of overall) {
    const value = `${formatValue(m.value, m.unit)}${m.small_sample ? ' ⚠' : ''}`;
    out.push(`| ${mdCell(m.label)} | ${mdCell(segmentLabel(m.segment))} | ${mdCell(value)} | ${mdCell(formatInterval(m.ci95, m.unit))} | ${m.n} |`);
  }
  const periodic = model.metrics.filter((m) => m.period !== null && m.segment === null);
  if (periodic.length) {
    out.push('', `## By ${s.period}`, '', '| metric | period | value | change | n |', '| --- | --- | ---: | ---: | ---: |');
    for (const m of periodic) {
      const change = m.change ? `${formatChange(m.change.difference, m.unit)}${m.change.significant ? ' (significant)' : ''}` : '';
      out.push(`| ${mdCell(m.label)} | ${m.period} | ${mdCell(formatValue(m.value, m.unit))} | ${mdCell(change)} | ${m.n} |`);
    }
  }
  if (model.unavailable.length) {
    out.push('', '## Not computed', '');
    for (const u of model.unavailable) out.push(`- \`${u.id}\`: ${mdCell(u.reason)}`);
  }
  if (model.warnings.length) {
    out.push('', '## Warnings', '');
    for (const w of model.warnings) out.push(`- ${mdCell(w)}`);
  }
  out.push('', '## Inputs', '', '| file | kind | read | accepted | duplicate | rejected |', '| --- | --- | ---: | ---: | ---: | ---: |');
  for (const i of model.inputs) out.push(`| ${mdCell(i.file)} | ${i.kind ?? i.status} | ${i.read} | ${i.accepted} | ${i.duplicate} | ${i.rejected} |`);
  return `${out.join('\n')}\n`;
}
