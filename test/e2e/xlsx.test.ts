/**
 * `.xlsx` workbooks end to end, with workbooks the test writes itself (exceljs): a Spanish survey
 * export with a cover sheet, a title block above the header, typed dates, a duplicate and a bad
 * score; a second data sheet; a notes sheet. `cxm inspect` and `cxm report` must account for every
 * row of every sheet, name rejects by sheet, row and column letter, read dates as wall clock in
 * --tz, pick one sheet with --sheet, refuse an old .xls with how to convert it, and read a
 * 200,000-row workbook with flat memory.
 */
import ExcelJS from 'exceljs';
import { spawn } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectEntry } from '../../src/report/inputs.js';
import type { MetricEntry, ReportModel } from '../../src/report/model.js';
import { BIN, cxmRun, tempDir, type RunResult } from './run.js';

function run(args: string[], cwd: string): Promise<RunResult> {
  return cxmRun(args, { cwd });
}

const tmp = tempDir('cxm-xlsx-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Wall-clock times as a spreadsheet holds them: a Date whose UTC fields are the clock. */
const wall = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

/**
 * The "Respuestas" rows (sheet rows 5-14). Accepted: R1-R8 (8). Duplicate: row 13 repeats R2.
 * Rejected: row 14, score 11 in column D. read 10 = 8 + 1 + 1.
 * NPS over R1-R8: promoters R1 10, R2 9, R5 10, R8 9 = 4; passives R3 8, R7 7 = 2;
 * detractors R4 6, R6 3 = 2; NPS = (4 - 2) / 8 * 100 = 25.
 */
const ANSWERS: [string, Date, string, number, string | null][] = [
  ['R1', wall(2025, 1, 2, 9, 0), 'Teléfono', 10, 'Muy amables'],
  ['R2', wall(2025, 1, 3, 10, 30), 'Correo electrónico', 9, null],
  ['R3', wall(2025, 1, 5, 12, 0), 'Web', 8, 'Bien, aunque lento'],
  ['R4', wall(2025, 1, 8, 16, 45), 'Teléfono', 6, 'Tardaron en responder'],
  ['R5', wall(2025, 1, 10, 8, 15), 'Web', 10, null],
  ['R6', wall(2025, 1, 15, 19, 0), 'Correo electrónico', 3, 'No resolvieron nada'],
  ['R7', wall(2025, 1, 20, 11, 11), 'Teléfono', 7, null],
  ['R8', wall(2025, 1, 31, 20, 0), 'Web', 9, 'Rápido'],
  ['R2', wall(2025, 1, 3, 10, 30), 'Correo electrónico', 9, null],
  ['R9', wall(2025, 1, 31, 21, 0), 'Teléfono', 11, 'Excelente'],
];

async function writeBook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const cover = wb.addWorksheet('Portada');
  cover.getCell('A1').value = 'Informe de experiencia de cliente';
  cover.getCell('A3').value = 'Preparado por';
  cover.getCell('B3').value = 'Equipo CX';

  const answers = wb.addWorksheet('Respuestas');
  answers.getCell('A1').value = 'Encuesta NPS — enero 2025';
  answers.getCell('A2').value = 'Fuente: plataforma de encuestas';
  answers.getRow(4).values = ['ID', 'Fecha', 'Canal', 'Puntuación', 'Comentario'];
  ANSWERS.forEach((values, i) => {
    const row = answers.getRow(5 + i);
    row.values = values;
    row.getCell(2).numFmt = 'dd/mm/yyyy hh:mm';
  });

  const tickets = wb.addWorksheet('Tickets');
  tickets.addRow(['Ticket', 'Creado', 'Estado', 'Canal']);
  tickets.addRow(['T-1', wall(2025, 1, 4, 9, 30), 'cerrado', 'Teléfono']);
  tickets.addRow(['T-2', wall(2025, 1, 6, 17, 5), 'abierto', 'Web']);
  tickets.addRow(['T-3', wall(2025, 1, 9, 12, 0), 'cerrado', 'Correo electrónico']);
  for (let r = 2; r <= 4; r++) tickets.getRow(r).getCell(2).numFmt = 'dd/mm/yyyy hh:mm';

  const notes = wb.addWorksheet('Notas');
  notes.addRow(['Las puntuaciones vienen de la encuesta de enero.']);
  notes.addRow(['Revisar el canal Web.']);
  await wb.xlsx.writeFile(file);
}

const BOOK = 'encuestas.xlsx';
let inspectJson: RunResult;
let inspectTable: RunResult;
let reportDefault: RunResult;
let reportJson: RunResult;
let reportTokyo: RunResult;
let onlyTickets: RunResult;
let noSuchSheet: RunResult;
let directory: RunResult;
let oldXls: RunResult;
let perSheetConfig: RunResult;

beforeAll(async () => {
  await writeBook(path.join(tmp, BOOK));
  const dir = path.join(tmp, 'exports');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  copyFileSync(path.join(tmp, BOOK), path.join(dir, BOOK));
  copyFileSync(path.join(tmp, BOOK), path.join(dir, `~$${BOOK}`)); // Excel's lock file: not an input
  writeFileSync(path.join(dir, 'bajas.csv'), 'customer id;churned at\nC1;2025-01-20\n');
  writeFileSync(
    path.join(tmp, 'sheets.config.json'),
    JSON.stringify({ files: [{ match: 'encuestas.xlsx#Notas', skip: true }, { match: 'encuestas.xlsx', timezone: 'Asia/Tokyo' }] }),
  );
  writeFileSync(path.join(tmp, 'viejo.xls'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
  [inspectJson, inspectTable, reportDefault, reportJson, reportTokyo, onlyTickets, noSuchSheet, directory, oldXls, perSheetConfig] = await Promise.all([
    run(['inspect', BOOK, '--format', 'json'], tmp),
    run(['inspect', BOOK], tmp),
    run(['report', BOOK, '--metrics', 'nps', '--format', 'json'], tmp),
    run(['report', BOOK, '--metrics', 'nps', '--format', 'json', '--max-reject-rate', '0.2'], tmp),
    run(['report', BOOK, '--metrics', 'nps', '--format', 'json', '--max-reject-rate', '0.2', '--period', 'day', '--tz', 'Asia/Tokyo'], tmp),
    run(['inspect', BOOK, '--sheet', 'tickets', '--format', 'json'], tmp),
    run(['inspect', BOOK, '--sheet', 'Nada'], tmp),
    run(['inspect', 'exports', '--format', 'json'], tmp),
    run(['inspect', 'viejo.xls'], tmp),
    run(['inspect', BOOK, '--format', 'json', '--config', 'sheets.config.json'], tmp),
  ]);
}, 120_000);

const inputsOf = (result: RunResult): InspectEntry[] => (JSON.parse(result.stdout) as { inputs: InspectEntry[] }).inputs;

describe('cxm inspect book.xlsx --format json', () => {
  it('lists every sheet as an input, in workbook order, with exact accounting', () => {
    expect(inspectJson.code, inspectJson.stderr).toBe(0);
    const inputs = inputsOf(inspectJson);
    expect(inputs.map((i) => [i.file, i.status, i.kind, i.format, i.read, i.accepted, i.duplicate, i.rejected])).toEqual([
      ['encuestas.xlsx#Portada', 'unrecognised', null, 'xlsx', 0, 0, 0, 0],
      ['encuestas.xlsx#Respuestas', 'read', 'survey', 'xlsx', 10, 8, 1, 1],
      ['encuestas.xlsx#Tickets', 'read', 'ticket', 'xlsx', 3, 3, 0, 0],
      ['encuestas.xlsx#Notas', 'unrecognised', null, 'xlsx', 0, 0, 0, 0],
    ]);
    for (const i of inputs) expect(i.read, i.file).toBe(i.accepted + i.duplicate + i.rejected);
  });

  it('finds the Spanish header below the title block and maps it', () => {
    const answers = inputsOf(inspectJson)[1]!;
    expect(answers.mapping).toEqual({ ID: 'id', Fecha: 'submittedAt', Canal: 'channel', Puntuación: 'nps', Comentario: 'comment' });
    expect(answers.notes).toContain('header on row 4; the 2 rows above it (a title block) not read as records');
    expect(answers.encoding).toBeNull();
    expect(answers.delimiter).toBeNull();
    // Typed date cells: first R1 on 2 January, last accepted R8 on 31 January (UTC, the default zone).
    expect(answers.date_range).toEqual(['2025-01-02', '2025-01-31']);
  });

  it('names the rejected cell: sheet, row and column letter', () => {
    expect(inputsOf(inspectJson)[1]!.rejects).toEqual([
      { file: 'encuestas.xlsx#Respuestas', line: 14, column: 'Puntuación (D)', value: '11', reason: expect.stringMatching(/0-10|10/) },
    ]);
  });

  it('says why the cover and notes sheets were skipped', () => {
    const [cover, , , notes] = inputsOf(inspectJson);
    expect(cover!.reason).toMatch(/no header matches|too few recognisable columns/);
    expect(notes!.reason).toMatch(/no header matches|too few recognisable columns/);
  });
});

describe('cxm inspect book.xlsx (table)', () => {
  it('shows the sheets and the reject with its row and column letter', () => {
    expect(inspectTable.code, inspectTable.stderr).toBe(0);
    expect(inspectTable.stdout).toContain('encuestas.xlsx#Respuestas');
    expect(inspectTable.stdout).toContain('encuestas.xlsx#Tickets');
    expect(inspectTable.stdout).toMatch(/line 14, column "Puntuación \(D\)": /);
    expect(inspectTable.stdout).toContain('4 inputs: 13 rows read = 11 accepted + 1 duplicate + 1 rejected');
  });
});

describe('cxm report book.xlsx --format json', () => {
  it('fails on the 10% rejected in one sheet by default, naming sheet, row and column', () => {
    expect(reportDefault.code, reportDefault.stderr).toBe(3);
    expect(reportDefault.stderr).toContain('encuestas.xlsx#Respuestas: 1 of 10 rows rejected (10.0%); first: line 14, column "Puntuación (D)"');
  });

  it('computes NPS from the typed cells with the row accounting of every sheet', () => {
    expect(reportJson.code, reportJson.stderr).toBe(0);
    const report = JSON.parse(reportJson.stdout) as ReportModel;
    const nps = report.metrics.find((m) => m.id === 'nps' && m.period === null && m.segment === null) as MetricEntry;
    expect(nps.value).toBeCloseTo(25, 9); // (4 promoters - 2 detractors) / 8 * 100
    expect(nps.n).toBe(8);
    expect(nps.detail).toMatchObject({ promoters: 4, passives: 2, detractors: 2 });
    // The report lists its inputs by name.
    expect(report.inputs.map((i) => [i.file, i.read, i.accepted, i.duplicate, i.rejected])).toEqual([
      ['encuestas.xlsx#Notas', 0, 0, 0, 0],
      ['encuestas.xlsx#Portada', 0, 0, 0, 0],
      ['encuestas.xlsx#Respuestas', 10, 8, 1, 1],
      ['encuestas.xlsx#Tickets', 3, 3, 0, 0],
    ]);
  });

  it('reads date cells as wall-clock time in --tz', () => {
    // R8 is 20:00 on 31 January in Tokyo (11:00Z). Read as a UTC instant instead, it would be
    // 05:00 on 1 February in Tokyo. Days with answers: 2, 3, 5, 8, 10, 15, 20, 31 January.
    expect(reportTokyo.code, reportTokyo.stderr).toBe(0);
    const report = JSON.parse(reportTokyo.stdout) as ReportModel;
    const days = report.metrics.filter((m) => m.id === 'nps' && m.period !== null && m.segment === null && m.n > 0);
    expect(days.map((m) => [m.period, m.n])).toEqual([
      ['2025-01-02', 1],
      ['2025-01-03', 1],
      ['2025-01-05', 1],
      ['2025-01-08', 1],
      ['2025-01-10', 1],
      ['2025-01-15', 1],
      ['2025-01-20', 1],
      ['2025-01-31', 1],
    ]);
  });
});

describe('--sheet, directories and .xls', () => {
  it('--sheet reads one sheet, named in any case', () => {
    expect(onlyTickets.code, onlyTickets.stderr).toBe(0);
    expect(inputsOf(onlyTickets).map((i) => [i.file, i.kind, i.read])).toEqual([['encuestas.xlsx#Tickets', 'ticket', 3]]);
  });

  it('--sheet naming no sheet exits 3 and lists the sheets', () => {
    expect(noSuchSheet.code, noSuchSheet.stderr).toBe(3);
    expect(noSuchSheet.stderr).toContain('encuestas.xlsx: no sheet named "Nada" (sheets: "Portada", "Respuestas", "Tickets", "Notas")');
  });

  it('reads workbooks found in a directory beside CSV files, and not Excel lock files', () => {
    expect(directory.code, directory.stderr).toBe(0);
    expect(inputsOf(directory).map((i) => [i.file, i.read])).toEqual([
      ['exports/bajas.csv', 1],
      ['exports/encuestas.xlsx#Portada', 0],
      ['exports/encuestas.xlsx#Respuestas', 10],
      ['exports/encuestas.xlsx#Tickets', 3],
      ['exports/encuestas.xlsx#Notas', 0],
    ]);
  });

  it('config entries match a sheet as book.xlsx#Sheet first, then the whole workbook', () => {
    expect(perSheetConfig.code, perSheetConfig.stderr).toBe(0);
    const inputs = inputsOf(perSheetConfig);
    expect(inputs.map((i) => [i.file, i.status, i.reason])).toEqual([
      ['encuestas.xlsx#Portada', 'unrecognised', expect.any(String)],
      ['encuestas.xlsx#Respuestas', 'read', null],
      ['encuestas.xlsx#Tickets', 'read', null],
      ['encuestas.xlsx#Notas', 'skipped', 'skipped by the config entry "encuestas.xlsx#Notas"'],
    ]);
    // The workbook's entry applies to its sheets: local times read in Tokyo.
    expect(inputs[1]!.notes).toContain('local times read in Asia/Tokyo');
  });

  it('an Excel 97-2003 .xls exits 3 with how to convert it', () => {
    expect(oldXls.code, oldXls.stderr).toBe(3);
    expect(oldXls.stderr).toContain('viejo.xls: an Excel 97-2003 workbook (.xls), which cxm does not read');
    expect(oldXls.stderr).toContain('hint: open it in Excel or LibreOffice and save as .xlsx or CSV (`libreoffice --headless --convert-to xlsx file.xls`)');
  });
});

describe('a 200,000-row workbook', () => {
  const ROWS = 200_000;
  const CHANNELS = ['Teléfono', 'Correo electrónico', 'Web', 'Tienda'];

  it('is read with flat memory (peak RSS under 300 MB) and every row accounted for', async () => {
    const file = path.join(tmp, 'grande.xlsx');
    // exceljs's streaming writer: the test process does not hold the workbook either.
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
    const ws = writer.addWorksheet('Respuestas');
    ws.addRow(['ID', 'Fecha', 'Canal', 'Puntuación', 'Comentario']).commit();
    for (let i = 1; i <= ROWS; i++) {
      const row = ws.addRow([`R${i}`, new Date(Date.UTC(2025, 0, 1) + i * 60_000), CHANNELS[i % 4], i % 11, i % 7 === 0 ? `Comentario número ${i % 500}` : null]);
      row.getCell(2).numFmt = 'dd/mm/yyyy hh:mm';
      row.commit();
    }
    ws.commit();
    await writer.commit();

    // The child reports its own peak RSS (kB on Linux) when it exits.
    const probe = path.join(tmp, 'rss.mjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n");
    // Measured at 240-250 MB (a CSV of the same rows: ~205 MB); most of it is the 200,000 records
    // the dataset keeps, and the normalizer's buffer of the rows read before it settles a date
    // column's day/month order (a column of date cells never settles it, so it waits to the end).
    // Not `cxmRun`: this needs a Node flag (--import probe) ahead of the binary.
    const result = await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', probe, BIN, 'inspect', 'grande.xlsx', '--format', 'json'], {
        cwd: tmp,
        env: { ...process.env, NO_COLOR: '1' },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code, signal }));
    });
    expect(result.code, result.stderr).toBe(0);
    const [entry] = inputsOf(result);
    expect([entry!.file, entry!.read, entry!.accepted, entry!.duplicate, entry!.rejected]).toEqual(['grande.xlsx#Respuestas', ROWS, ROWS, 0, 0]);
    // First answer 2025-01-01 00:01, last 200,000 minutes later = 138 days 21:20 -> 2025-05-19.
    expect(entry!.date_range).toEqual(['2025-01-01', '2025-05-19']);
    const peakKb = Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1]);
    expect(peakKb).toBeGreaterThan(0);
    console.log(`xlsx e2e: ${ROWS} rows, peak RSS ${(peakKb / 1024).toFixed(0)} MB`);
    expect(peakKb / 1024).toBeLessThan(300);
  }, 180_000);
});
