/**
 * The metric catalogue as a table or Markdown (the README's metric table is generated from it).
 */
import Table from 'cli-table3';
import { mdCell } from './render-md.js';

export interface CatalogueRow {
  id: string;
  label: string;
  domain: string;
  unit: string;
  direction: string;
  kinds: string[];
  needs: string;
  formula: string;
}

export function renderCatalogue(rows: CatalogueRow[], format: 'table' | 'md'): string {
  if (format === 'md') {
    const lines = ['| id | metric | unit | better | needs | formula |', '| --- | --- | --- | --- | --- | --- |'];
    for (const r of rows) lines.push(`| \`${r.id}\` | ${mdCell(r.label)} | ${r.unit} | ${r.direction} | ${mdCell(r.needs)} | ${mdCell(r.formula)} |`);
    return `${lines.join('\n')}\n`;
  }
  const table = new Table({ head: ['id', 'metric', 'unit', 'better', 'needs', 'formula'], colWidths: [26, 30, 9, 8, 30, 60], wordWrap: true, style: { head: [], border: [] } });
  for (const r of rows) table.push([r.id, r.label, r.unit, r.direction, r.needs, r.formula]);
  return `${table.toString()}\n`;
}
