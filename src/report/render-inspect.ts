/**
 * `cxm inspect` as text: a summary table of every input, then a block per file with its kind,
 * dialect, column mapping, date order and first rejects.
 */
import chalk, { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { InspectEntry } from './inputs.js';
import { formatInt, oneLine } from './text.js';

export interface RenderOptions {
  color: boolean;
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

export function renderInspectTable(model: { inputs: InspectEntry[] }, options: RenderOptions): string {
  const c = new Chalk({ level: options.color ? (chalk.level || 1) : 0 });
  const summary = new Table({
    head: ['file', 'kind', 'read', 'accepted', 'duplicate', 'rejected', 'dates'],
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const input of model.inputs) {
    summary.push([
      oneLine(input.file, 48),
      input.kind ?? c.dim(input.status),
      formatInt(input.read),
      formatInt(input.accepted),
      input.duplicate ? c.yellow(formatInt(input.duplicate)) : '0',
      input.rejected ? c.red(formatInt(input.rejected)) : '0',
      input.date_range ? `${input.date_range[0]} … ${input.date_range[1]}` : '',
    ]);
  }
  const totals = model.inputs.reduce(
    (t, i) => ({ read: t.read + i.read, accepted: t.accepted + i.accepted, duplicate: t.duplicate + i.duplicate, rejected: t.rejected + i.rejected }),
    { read: 0, accepted: 0, duplicate: 0, rejected: 0 },
  );
  const lines: string[] = [summary.toString(), ''];
  lines.push(
    `${model.inputs.length} input${model.inputs.length === 1 ? '' : 's'}: ${formatInt(totals.read)} rows read = ${formatInt(totals.accepted)} accepted + ${formatInt(totals.duplicate)} duplicate + ${formatInt(totals.rejected)} rejected`,
    '',
  );
  for (const input of model.inputs) {
    lines.push(c.bold(oneLine(input.file, 200)));
    if (input.status !== 'read') {
      lines.push(`  ${c.dim(input.status)}: ${oneLine(input.reason ?? '', 200)}`, '');
      continue;
    }
    lines.push(`  read as    ${input.kind}${input.why ? c.dim(` (${oneLine(input.why, 160)})`) : ''}`);
    const dialect = [input.format, input.encoding, input.delimiter ? `delimiter ${DELIMITER_NAMES[input.delimiter] ?? input.delimiter}` : null, input.compressed ? 'gzip' : null]
      .filter(Boolean)
      .join(', ');
    lines.push(`  format     ${dialect}`);
    lines.push(`  rows       ${formatInt(input.read)} read = ${formatInt(input.accepted)} accepted + ${formatInt(input.duplicate)} duplicate + ${formatInt(input.rejected)} rejected${input.excluded ? ` (${formatInt(input.excluded)} excluded by config)` : ''}`);
    if (input.date_range) lines.push(`  dates      ${input.date_range[0]} … ${input.date_range[1]}${input.date_order ? ` (order ${input.date_order})` : ''}`);
    input.columns.forEach((col, i) => {
      lines.push(`  ${i === 0 ? 'columns    ' : '           '}${oneLine(col.column, 60)} -> ${c.cyan(col.field)} ${c.dim(`(${col.reading}${col.via === 'config' ? ', from config' : ''})`)}`);
    });
    if (input.unmapped.length) lines.push(`  unmapped   ${input.unmapped.map((u) => oneLine(u, 40)).join(', ')} ${c.dim('(kept as attributes, usable with --by)')}`);
    for (const dropped of input.dropped) lines.push(`  ignored    ${oneLine(dropped, 160)}`);
    for (const note of input.notes) lines.push(`  note       ${oneLine(note, 160)}`);
    if (input.rejects.length) {
      lines.push(`  rejects${input.rejected > input.rejects.length ? ` (first ${input.rejects.length} of ${formatInt(input.rejected)})` : ''}:`);
      for (const r of input.rejects) {
        lines.push(`    ${c.red(`line ${r.line}`)}${r.column ? `, column "${oneLine(r.column, 40)}"` : ''}: ${oneLine(r.reason, 120)}${r.value !== null ? c.dim(` (value ${JSON.stringify(oneLine(r.value, 40))})`) : ''}`);
      }
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
