/**
 * `cxm check` output: a terminal table, JSON, JUnit XML, GitHub workflow annotations and a
 * Markdown PR comment, all read from the same CheckReport (src/analysis/checks.ts). Renderers
 * never judge: the verdict, the mode that decided it and the reason come with each result.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CheckReport, CheckResult } from '../analysis/checks.js';
import type { Unit } from '../metrics/types.js';
import { formatDuration, formatInterval, formatValue } from './format.js';
import { mdCell } from './render-md.js';
import { segmentLabel } from './render-report.js';
import { oneLine, sanitizeForTerminal } from './text.js';

const VERDICT: Record<CheckResult['status'], string> = { passed: 'pass', failed: 'FAIL', warned: 'warn', skipped: 'skip' };

/** A drop in its unit: percentage points for rates. */
function formatDrop(value: number, unit: Unit): string {
  switch (unit) {
    case 'share':
      return `${(value * 100).toFixed(1)} pp`;
    case 'points':
      return value.toFixed(1);
    case 'seconds':
      return value < 0 ? `-${formatDuration(-value)}` : formatDuration(value);
    default:
      return formatValue(value, unit);
  }
}

/** `12.6 (9.0 – 16.2)`, or `drop 6.0 (1.2 – 10.8)` for a drop. */
export function resultValue(r: CheckResult): string {
  if (r.value === null) return '—';
  if (r.kind === 'drop') {
    const ci = r.ci95 ? ` (${formatDrop(r.ci95[0], r.unit)} – ${formatDrop(r.ci95[1], r.unit)})` : '';
    return `drop ${formatDrop(r.value, r.unit)}${ci}`;
  }
  const ci = r.ci95 ? ` (${formatInterval(r.ci95, r.unit)})` : '';
  return `${formatValue(r.value, r.unit)}${ci}`;
}

export function resultThreshold(r: CheckResult): string {
  return `${r.kind === 'drop' ? 'drop ' : ''}${r.op} ${r.threshold_text}`;
}

/** Which mode decided, in words. */
export function decidedBy(r: CheckResult): string {
  switch (r.decided_by) {
    case 'point':
      return 'point';
    case 'confident':
      return 'confident (95% CI)';
    case 'significance':
      return `significance (${r.test ?? 'test'})`;
    case 'small-sample':
      return 'small sample';
    case 'unavailable':
      return 'no data';
  }
}

/** Segment and, for a drop, the periods compared. */
export function resultScope(r: CheckResult): string {
  const parts = [segmentLabel(r.segment)];
  if (r.period) parts.push(r.previous_period ? `${r.period} vs ${r.previous_period}` : r.period);
  return parts.filter(Boolean).join(' · ');
}

function summaryLine(report: CheckReport): string {
  const s = report.statistics;
  return `${s.evaluated} check result${s.evaluated === 1 ? '' : 's'}: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped`;
}

function settingsLine(report: CheckReport): string {
  const s = report.settings;
  return `mode ${s.mode}; small samples (n < ${s.min_sample}): ${s.on_small_sample}; time zone ${s.timezone}`;
}

export function renderCheckTable(report: CheckReport, options: { color: boolean }): string {
  const c: ChalkInstance = new Chalk({ level: options.color ? chalk.level || 1 : 0 });
  const paint = (r: CheckResult, text: string) =>
    r.status === 'failed' ? c.red(text) : r.status === 'warned' ? c.yellow(text) : r.status === 'skipped' ? c.dim(text) : c.green(text);
  const table = new Table({
    head: ['check', 'segment', 'value (95% CI)', 'n', 'threshold', 'verdict', 'mode'],
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left', 'left'],
  });
  for (const r of report.results) {
    table.push([oneLine(r.check, 60), oneLine(resultScope(r), 40), resultValue(r), r.n === null ? '' : r.n.toLocaleString('en-US'), oneLine(resultThreshold(r), 30), paint(r, VERDICT[r.status]), decidedBy(r)]);
  }
  const out = [table.toString()];
  const notes = report.results.filter((r) => r.status !== 'passed' || r.decided_by === 'confident' || r.decided_by === 'significance');
  if (notes.length) {
    out.push('');
    for (const r of notes) {
      const scope = resultScope(r);
      out.push(`  ${paint(r, VERDICT[r.status])} ${oneLine(r.check, 80)}${scope ? ` [${oneLine(scope, 60)}]` : ''}: ${oneLine(r.reason, 200)}`);
    }
  }
  out.push('', `${summaryLine(report)} (${settingsLine(report)})`);
  return `${out.join('\n')}\n`;
}

export function renderCheckJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

// Characters XML 1.0 does not allow at all, not even escaped.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function xmlText(text: string): string {
  return text.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** `check [segment · period]` on one line, escape sequences stripped: a test name in CI pages. */
function junitName(r: CheckResult): string {
  const scope = resultScope(r);
  return oneLine(`${r.check}${scope ? ` [${scope}]` : ''}`, 300);
}

function junitDetail(r: CheckResult): string {
  return [
    `check: ${r.check} (${r.origin}, level ${r.level})`,
    `value: ${resultValue(r)}${r.n === null ? '' : `, n = ${r.n}`}`,
    `threshold: ${resultThreshold(r)}`,
    `decided by: ${decidedBy(r)}${r.p === null ? '' : `, p = ${r.p}`}`,
    `reason: ${r.reason}`,
  ].join('\n');
}

/** One testcase per check and segment; warned results pass with a note in system-out, skipped ones are skipped. */
export function renderCheckJunit(report: CheckReport): string {
  const s = report.statistics;
  const attrs = `tests="${s.evaluated}" failures="${s.failed}" errors="0" skipped="${s.skipped}"`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="cxm check" ${attrs}>`, `  <testsuite name="cxm check" ${attrs}>`, '    <properties>'];
  for (const [name, value] of Object.entries(report.settings)) out.push(`      <property name="${xmlAttr(name)}" value="${xmlAttr(String(value))}"/>`);
  out.push('    </properties>');
  for (const r of report.results) {
    const open = `    <testcase classname="${xmlAttr(`cxm.check.${r.metric}`)}" name="${xmlAttr(junitName(r))}"`;
    if (r.status === 'passed') {
      out.push(`${open}/>`);
    } else if (r.status === 'failed') {
      out.push(`${open}>`, `      <failure message="${xmlAttr(r.reason)}" type="${xmlAttr(r.decided_by)}">${xmlText(junitDetail(r))}</failure>`, '    </testcase>');
    } else if (r.status === 'skipped') {
      out.push(`${open}>`, `      <skipped message="${xmlAttr(r.reason)}"/>`, '    </testcase>');
    } else {
      out.push(`${open}>`, `      <system-out>${xmlText(`warning: ${junitDetail(r)}`)}</system-out>`, '    </testcase>');
    }
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

/** The escaping of @actions/core for a command's message. */
export function githubData(text: string): string {
  // CR and LF are escaped (not stripped) as the toolkit does; other controls and escape sequences go.
  return sanitizeForTerminal(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** The escaping of @actions/core for a command's property values: also `:` and `,`. */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error title=…::…` for failed results, `::warning` for warned ones, then a plain summary line. */
export function renderCheckGithub(report: CheckReport): string {
  const out: string[] = [];
  for (const r of report.results) {
    if (r.status !== 'failed' && r.status !== 'warned') continue;
    const command = r.status === 'failed' ? 'error' : 'warning';
    const title = `cxm check: ${junitName(r)}`;
    const message = `${resultValue(r)} vs ${resultThreshold(r)} (${decidedBy(r)}): ${r.reason}`;
    out.push(`::${command} title=${githubProperty(title)}::${githubData(message)}`);
  }
  out.push(`cxm check: ${summaryLine(report)} (${settingsLine(report)})`);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const MD_ICON: Record<CheckResult['status'], string> = { passed: '✅', failed: '❌', warned: '⚠️', skipped: '⏭️' };

function mdCode(text: string): string {
  return `\`${oneLine(text, 200).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** A PR comment or a job summary: a headline verdict, one row per result, the reasons. */
export function renderCheckMarkdown(report: CheckReport): string {
  const s = report.statistics;
  const verdict = report.success ? (s.warned ? `✅ passed with ${s.warned} warning${s.warned === 1 ? '' : 's'}` : '✅ passed') : `❌ ${s.failed} failed`;
  const out = [`### cxm check: ${verdict}`, '', `${summaryLine(report)}.`, '', '| | check | segment | value (95% CI) | threshold | decided by | why |', '| --- | --- | --- | ---: | ---: | --- | --- |'];
  for (const r of report.results) {
    out.push(
      `| ${MD_ICON[r.status]} | ${mdCode(r.check)} | ${mdCell(resultScope(r)).replace(/@/g, '&#64;')} | ${mdCell(resultValue(r))} | ${mdCell(resultThreshold(r))} | ${mdCell(decidedBy(r))} | ${mdCell(r.reason).replace(/@/g, '&#64;')} |`,
    );
  }
  out.push('', `<sub>${mdCell(settingsLine(report))}</sub>`);
  return `${out.join('\n')}\n`;
}
