/**
 * Properties of the whole pipeline (files -> records -> metrics -> report), on random inputs:
 * - every row is accounted for, garbage included: read = accepted + duplicate + rejected, and read
 *   is the number of data rows in the file;
 * - shuffling the rows of a file, or the order of the files, changes no byte of the report;
 * - the long CSV parses back to the report's values.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runMetrics } from '../src/analysis/engine.js';
import { loadDataset, resolveScales } from '../src/dataset/load.js';
import { METRICS, resolveSettings } from '../src/metrics/registry.js';
import { buildReportModel } from '../src/report/model.js';
import { renderReportCsv } from '../src/report/render-csv.js';

const HEADER = 'response_id,submitted_at,channel,nps,csat,comment';
const CHANNELS = ['email', 'web', 'phone', 'Teléfono', 'chat'];

/** A valid survey row, or (when `garbage`) one with a broken score, date or shape. */
const rowArb = fc.record({
  id: fc.integer({ min: 1, max: 60 }),
  day: fc.integer({ min: 1, max: 28 }),
  month: fc.integer({ min: 1, max: 12 }),
  channel: fc.constantFrom(...CHANNELS),
  nps: fc.integer({ min: 0, max: 10 }),
  csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  comment: fc.constantFrom('', 'great', '"slow, but fine"', 'nadie responde'),
  garbage: fc.constantFrom(null, 'nps-11', 'nps-text', 'bad-date', 'extra-field', 'nps-9.5', 'csat-0', 'blank-line'),
});
type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function line(row: Row): string {
  const date = `2025-${String(row.month).padStart(2, '0')}-${String(row.day).padStart(2, '0')}T10:00:00Z`;
  const cells = [`R${row.id}`, date, row.channel, String(row.nps), row.csat === undefined ? '' : String(row.csat), row.comment];
  switch (row.garbage) {
    case 'nps-11':
      cells[3] = '11';
      break;
    case 'nps-text':
      cells[3] = 'ten';
      break;
    case 'nps-9.5':
      cells[3] = '9.5';
      break;
    case 'bad-date':
      cells[1] = '2025-02-31T10:00:00Z';
      break;
    case 'extra-field':
      cells.push('surprise');
      break;
    case 'csat-0':
      cells[4] = '0';
      break;
    case 'blank-line':
      return '';
  }
  return cells.join(',');
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'cxm-prop-'));
}

async function reportJson(dir: string, files: string[]): Promise<{ json: string; csv: string; model: ReturnType<typeof buildReportModel> }> {
  const config = {};
  const dataset = await loadDataset(files, { cwd: dir, config });
  const settings = resolveSettings(config, resolveScales(config));
  const engine = runMetrics(dataset, { metrics: METRICS, settings, period: 'month', by: ['channel'], since: null, until: null, zone: 'UTC', weekStart: 'monday', now: null });
  const model = buildReportModel(dataset, engine, METRICS, { period: 'month', by: ['channel'], since: null, until: null, timezone: 'UTC', minSample: 30 });
  return { json: JSON.stringify(model), csv: renderReportCsv(model), model };
}

describe('pipeline properties', () => {
  it('accounts for every row, garbage included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 80 }), async (rows) => {
        const dir = tempDir();
        writeFileSync(path.join(dir, 'answers.csv'), [HEADER, ...rows.map(line)].join('\n'));
        const dataset = await loadDataset(['answers.csv'], { cwd: dir, config: {} });
        const dataRows = rows.filter((r) => r.garbage !== 'blank-line').length;
        expect(dataset.inputs).toHaveLength(1);
        const input = dataset.inputs[0]!;
        expect(input.read).toBe(input.accepted + input.duplicate + input.rejected);
        expect(input.read).toBe(dataRows);
        // Valid rows are never rejected. (A broken row may still be accepted: when most of a
        // column's sample does not fit its field, the column is kept as an attribute instead.)
        const broken = rows.filter((r) => r.garbage !== null && r.garbage !== 'blank-line').length;
        expect(input.rejected).toBeLessThanOrEqual(broken);
        expect(input.accepted + input.duplicate).toBeGreaterThanOrEqual(dataRows - broken);
      }),
      { numRuns: 60 },
    );
  });

  it('shuffling rows or files changes no byte of the report', async () => {
    const validRow = rowArb.map((r) => ({ ...r, garbage: null }));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(validRow, { minLength: 2, maxLength: 60, selector: (r) => r.id }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (rows, seed) => {
          // Same content, rows in another order, and split over two files listed the other way round.
          const shuffled = [...rows].sort((a, b) => ((a.id * 2654435761 + seed) >>> 0) - ((b.id * 2654435761 + seed) >>> 0));
          const half = Math.ceil(rows.length / 2);
          const a = tempDir();
          const b = tempDir();
          mkdirSync(path.join(a, 'x'));
          mkdirSync(path.join(b, 'x'));
          writeFileSync(path.join(a, 'x/one.csv'), [HEADER, ...rows.slice(0, half).map(line)].join('\n'));
          writeFileSync(path.join(a, 'x/two.csv'), [HEADER, ...rows.slice(half).map(line)].join('\n'));
          const set = new Set(rows.slice(0, half).map((r) => r.id));
          writeFileSync(path.join(b, 'x/one.csv'), [HEADER, ...shuffled.filter((r) => set.has(r.id)).map(line)].join('\n'));
          writeFileSync(path.join(b, 'x/two.csv'), [HEADER, ...shuffled.filter((r) => !set.has(r.id)).map(line)].join('\n'));
          const first = await reportJson(a, ['x/one.csv', 'x/two.csv']);
          const second = await reportJson(b, ['x/two.csv', 'x/one.csv']);
          expect(second.json).toBe(first.json);
          expect(second.csv).toBe(first.csv);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the long CSV parses back to the report values', async () => {
    const validRow = rowArb.map((r) => ({ ...r, garbage: null }));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(validRow, { minLength: 1, maxLength: 60, selector: (r) => r.id }), async (rows) => {
        const dir = tempDir();
        writeFileSync(path.join(dir, 'answers.csv'), [HEADER, ...rows.map(line)].join('\n'));
        const { csv, model } = await reportJson(dir, ['answers.csv']);
        const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
        expect(parsed.errors).toEqual([]);
        expect(parsed.data).toHaveLength(model.metrics.length);
        parsed.data.forEach((row, i) => {
          const m = model.metrics[i]!;
          expect(row.metric).toBe(m.id);
          expect(row.period).toBe(m.period ?? '');
          expect(row.channel).toBe(m.segment?.channel ?? '');
          expect(Number(row.n)).toBe(m.n);
          if (m.value === null) expect(row.value).toBe('');
          else expect(Number(row.value)).toBeCloseTo(m.value, 9);
          if (m.ci95) {
            expect(Number(row.ci_low)).toBeCloseTo(m.ci95[0], 9);
            expect(Number(row.ci_high)).toBeCloseTo(m.ci95[1], 9);
          }
        });
      }),
      { numRuns: 25 },
    );
  });
});
