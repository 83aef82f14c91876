import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../fixtures/sources/collect.js';
import { CxmError, isCxmError } from '../errors.js';
import { readSource } from './read.js';
import type { Cell, SourceInfo } from './types.js';
import {
  ERROR_CELL,
  FORMULA_WITHOUT_RESULT,
  columnLetter,
  decodeCell,
  defaultHeaderRow,
  excelSerialToDate,
  excelTimeText,
  headerText,
  numberFormatKind,
  readWorkbook,
  type CellContext,
  type RawCell,
  type WorkbookSink,
} from './xlsx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxm-xlsx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a workbook built by `build` with exceljs (the in-memory writer) and returns its path. */
async function book(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(dir, name);
  await wb.xlsx.writeFile(path);
  return path;
}

/** A ZIP of the given parts, deflated, in the given order (exceljs always writes its own order). */
function zip(parts: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of parts) {
    const raw = Buffer.from(content, 'utf8');
    const data = deflateRawSync(raw);
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(raw.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** The parts of a one-sheet workbook named "Datos" whose sheet XML is `sheetData`; style 1 is `dd/mm/yyyy hh:mm`. */
function parts(sheetData: string, options: { date1904?: boolean; sharedStrings?: string[]; prefix?: string } = {}) {
  const p = options.prefix ? `${options.prefix}:` : '';
  const ns = options.prefix ? NS.replace('xmlns=', `xmlns:${options.prefix}=`) : NS;
  const strings = options.sharedStrings ?? [];
  return {
    rels: [
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ] as [string, string],
    strings: [
      'xl/sharedStrings.xml',
      `<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => (s.startsWith('<') ? `<si>${s}</si>` : `<si><t>${s}</t></si>`)).join('')}</sst>`,
    ] as [string, string],
    sheet: ['xl/worksheets/sheet1.xml', `<?xml version="1.0" encoding="UTF-8"?><${p}worksheet ${ns}><${p}sheetData>${sheetData}</${p}sheetData></${p}worksheet>`] as [string, string],
    styles: [
      'xl/styles.xml',
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}><numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="#,##0.00 &quot;€&quot;"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" xfId="0"/><xf numFmtId="164" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/><xf numFmtId="21" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    ] as [string, string],
    workbook: [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><workbookPr${options.date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="Datos" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ] as [string, string],
  };
}

async function raw(name: string, content: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

interface Table {
  header: string[];
  info: SourceInfo;
  rows: { cells: Cell[]; line: number }[];
  added: string[][];
}

/** A sink that keeps every table (one per sheet) apart. */
function tables(options: { headerRow?: WorkbookSink['headerRow']; skip?: (info: SourceInfo) => boolean } = {}) {
  const out: Table[] = [];
  const calls: string[] = [];
  const sink: WorkbookSink = {
    header(columns, info) {
      out.push({ header: columns, info, rows: [], added: [] });
      calls.push(`header:${info.file}`);
      return options.skip?.(info) ? 'skip' : undefined;
    },
    row(cells, line) {
      out.at(-1)!.rows.push({ cells, line });
      calls.push(`row:${line}`);
    },
    addColumns(columns) {
      out.at(-1)!.added.push(columns);
      calls.push(`add:${columns.join(',')}`);
    },
    malformed() {
      throw new Error('a workbook has no malformed rows');
    },
  };
  if (options.headerRow) sink.headerRow = options.headerRow;
  return { sink, out, calls };
}

async function failure(promise: Promise<unknown>): Promise<CxmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isCxmError(error)) throw new Error(`expected a CxmError, got ${String(error)}`);
  return error;
}

// ---------------------------------------------------------------------------------------------

describe('columnLetter', () => {
  it('names columns as spreadsheets do', () => {
    // 26 letters, then two: 26 -> AA, 51 -> AZ, 701 (26 + 26*26 - 1) -> ZZ, 702 -> AAA
    expect([0, 3, 25, 26, 51, 701, 702].map(columnLetter)).toEqual(['A', 'D', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
  });
});

describe('numberFormatKind', () => {
  it.each([
    ['dd/mm/yyyy hh:mm', 'date'],
    ['mm-dd-yy', 'date'],
    ['[$-es-ES]d "de" mmmm "de" yyyy', 'date'],
    ['DD/MM/YYYY', 'date'],
    ['mmm', 'date'],
    ['h:mm:ss', 'time'],
    ['h:mm AM/PM', 'time'],
    ['mm:ss', 'time'],
    ['[h]:mm:ss', 'elapsed'],
    ['[mm]:ss', 'elapsed'],
    ['General', 'number'],
    ['0.00%', 'number'],
    ['#,##0.00 "€"', 'number'],
    ['0.00E+00', 'number'],
    ['[Red]0.0', 'number'],
    ['0 "days"', 'number'],
    ['', 'number'],
  ] as const)('%s is %s', (format, kind) => {
    expect(numberFormatKind(format)).toBe(kind);
  });
});

describe('excelSerialToDate and excelTimeText', () => {
  it('reads a serial as the wall clock in the Date UTC fields', () => {
    // 2025-01-01 is serial 45658 (1900 system), so 2025-01-31 is 45688; .4375 of a day is 10:30.
    expect(excelSerialToDate(45688.4375, false).toISOString()).toBe('2025-01-31T10:30:00.000Z');
    // The 1904 system counts 1462 days fewer: 45688.4375 - 1462 = 44226.4375 is the same day.
    expect(excelSerialToDate(44226.4375, true).toISOString()).toBe('2025-01-31T10:30:00.000Z');
  });

  it('writes times of day and elapsed times as H:MM:SS', () => {
    expect(excelTimeText(0.4375)).toBe('10:30:00');
    expect(excelTimeText(1.5)).toBe('36:00:00'); // a day and a half, as [h]:mm:ss shows it
    expect(excelTimeText(1.25 / 86400)).toBe('0:00:01.250');
    expect(excelTimeText(0)).toBe('0:00:00');
  });
});

describe('decodeCell', () => {
  const formats: Record<number, ReturnType<typeof numberFormatKind>> = { 0: 'number', 1: 'date', 2: 'time', 3: 'elapsed' };
  const ctx: CellContext = {
    sharedStrings: ['Teléfono', { richText: [{ text: 'Muy ' }, { text: 'bien' }] }, 'línea 1_x000D_\nlínea 2'],
    date1904: false,
    formatOf: (style) => formats[style] ?? 'number',
  };
  const cell = (over: Partial<RawCell>): RawCell => ({ type: 'n', style: 0, value: null, inline: null, formula: false, ...over });

  it('reads shared strings, rich text and OOXML escapes', () => {
    expect(decodeCell(cell({ type: 's', value: '0' }), ctx)).toBe('Teléfono');
    expect(decodeCell(cell({ type: 's', value: '1' }), ctx)).toBe('Muy bien');
    expect(decodeCell(cell({ type: 's', value: '2' }), ctx)).toBe('línea 1\r\nlínea 2');
    expect(decodeCell(cell({ type: 's', value: '9' }), ctx)).toBeNull();
    expect(decodeCell(cell({ type: 'inlineStr', inline: 'Atención' }), ctx)).toBe('Atención');
    expect(decodeCell(cell({ type: 'inlineStr', value: 'en <v>' }), ctx)).toBe('en <v>');
  });

  it('keeps numbers and booleans typed, and text in a number cell as text', () => {
    expect(decodeCell(cell({ value: '4.5' }), ctx)).toBe(4.5);
    expect(decodeCell(cell({ value: '1234.5' }), ctx)).toBe(1234.5);
    expect(decodeCell(cell({ type: 'b', value: '1' }), ctx)).toBe(true);
    expect(decodeCell(cell({ type: 'b', value: '0', formula: true }), ctx)).toBe(false);
    expect(decodeCell(cell({ type: 'str', value: 'calculado', formula: true }), ctx)).toBe('calculado');
    expect(decodeCell(cell({ value: '' }), ctx)).toBeNull();
  });

  it('types numbers by their format: date, time of day, elapsed time', () => {
    expect(decodeCell(cell({ style: 1, value: '45688.4375' }), ctx)).toEqual(new Date(Date.UTC(2025, 0, 31, 10, 30)));
    expect(decodeCell(cell({ style: 2, value: '0.4375' }), ctx)).toBe('10:30:00');
    // A full date-time shown with a time-only format is still a timestamp.
    expect(decodeCell(cell({ style: 2, value: '45688.4375' }), ctx)).toEqual(new Date(Date.UTC(2025, 0, 31, 10, 30)));
    // 1:23:45 = 5025 s = 5025/86400 days
    expect(decodeCell(cell({ style: 3, value: String(5025 / 86400) }), ctx)).toBe('1:23:45');
    expect(decodeCell(cell({ style: 1, value: '45688', formula: true }), ctx)).toEqual(new Date(Date.UTC(2025, 0, 31)));
    expect(decodeCell(cell({ style: 1, value: '45688.4375' }), { ...ctx, date1904: true })).toEqual(new Date(Date.UTC(2029, 1, 1, 10, 30)));
  });

  it('passes ISO t="d" cells on as text for the date parsers', () => {
    expect(decodeCell(cell({ type: 'd', value: '2025-01-31T10:30:00' }), ctx)).toBe('2025-01-31T10:30:00');
  });

  it('flags errors and formulas without a result', () => {
    expect(decodeCell(cell({ type: 'e', value: '#N/A' }), ctx)).toBe(ERROR_CELL);
    expect(decodeCell(cell({ type: 'e', value: '#DIV/0!', formula: true }), ctx)).toBe(ERROR_CELL);
    expect(decodeCell(cell({ formula: true }), ctx)).toBe(FORMULA_WITHOUT_RESULT);
    expect(decodeCell(cell({ type: 'str', formula: true }), ctx)).toBe(FORMULA_WITHOUT_RESULT);
    // A cell holding the word "error" is text, not a problem.
    expect(decodeCell(cell({ type: 'inlineStr', inline: 'error' }), ctx)).toBe('error');
  });
});

describe('headerText and defaultHeaderRow', () => {
  it('writes header cells as text', () => {
    expect(headerText('  Puntuación ')).toBe('Puntuación');
    expect(headerText(2024)).toBe('2024');
    expect(headerText(new Date(Date.UTC(2025, 0, 31)))).toBe('2025-01-31');
    expect(headerText(new Date(Date.UTC(2025, 0, 31, 10, 30)))).toBe('2025-01-31 10:30:00');
    expect(headerText(null)).toBe('');
  });

  it('skips narrow title rows and rows holding numbers', () => {
    // widest row has 3 non-empty cells: a header needs max(2, ceil(3/2)) = 2 text cells
    expect(defaultHeaderRow([['Informe de satisfacción'], ['Generado', new Date(0)], ['ID', 'Fecha', 'Canal'], [1, new Date(0), 'web']])).toBe(2);
    expect(defaultHeaderRow([['id', 'score'], [1, 9]])).toBe(0);
    expect(defaultHeaderRow([[1, 2, 3]])).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('readWorkbook: sheets as tables', () => {
  it('reads every sheet as its own table, named book.xlsx#Sheet, with row numbers as lines', async () => {
    const path = await book('tres.xlsx', (wb) => {
      wb.addWorksheet('Portada').getCell('B2').value = 'Informe trimestral';
      const answers = wb.addWorksheet('Hoja de respuestas');
      answers.addRow(['ID', 'Puntuación']);
      answers.addRow(['R1', 9]);
      answers.addRow([]);
      answers.addRow(['R2', 7]);
      const tickets = wb.addWorksheet('Tickets');
      tickets.addRow(['Ticket', 'Creado']);
      tickets.addRow(['T-1', 'ayer']);
      wb.addWorksheet('Vacía');
    });
    const { sink, out, calls } = tables();
    const info = await readWorkbook(path, sink);
    expect(out.map((t) => t.info.file)).toEqual([`${path}#Portada`, `${path}#Hoja de respuestas`, `${path}#Tickets`, `${path}#Vacía`]);
    expect(out.map((t) => t.header)).toEqual([['column_1', 'Informe trimestral'], ['ID', 'Puntuación'], ['Ticket', 'Creado'], []]);
    expect(out[1]!.rows).toEqual([
      { cells: ['R1', 9], line: 2 },
      { cells: ['R2', 7], line: 4 },
    ]);
    expect(out[2]!.rows).toEqual([{ cells: ['T-1', 'ayer'], line: 2 }]);
    expect(out[3]!.info.notes).toEqual(['empty sheet']);
    expect(out[1]!.info).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, compressed: false });
    expect(calls).toEqual([
      `header:${path}#Portada`,
      `header:${path}#Hoja de respuestas`,
      'row:2',
      'row:4',
      `header:${path}#Tickets`,
      'row:2',
      `header:${path}#Vacía`,
    ]);
    expect(info).toMatchObject({ file: path, format: 'xlsx', notes: ['Excel workbook, 4 sheets: Portada, Hoja de respuestas, Tickets, Vacía'] });
  });

  it('pushes no rows after the sink skips a sheet, and goes on with the next', async () => {
    const path = await book('skip.xlsx', (wb) => {
      const notes = wb.addWorksheet('Notas');
      for (let i = 0; i < 50; i++) notes.addRow([`nota ${i}`, i]);
      wb.addWorksheet('Datos').addRows([['id', 'nps'], ['a', 10]]);
    });
    const { sink, out } = tables({ skip: (info) => info.file.endsWith('#Notas') });
    await readWorkbook(path, sink);
    expect(out.map((t) => t.rows.length)).toEqual([0, 1]);
    expect(out[1]!.rows[0]).toEqual({ cells: ['a', 10], line: 2 });
  });

  it('reads a hidden sheet too, and says so', async () => {
    const path = await book('hidden.xlsx', (wb) => {
      const ws = wb.addWorksheet('Oculta');
      ws.state = 'hidden';
      ws.addRows([['id', 'nps'], ['a', 3]]);
    });
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.info.notes).toContain('hidden sheet');
    expect(out[0]!.rows).toHaveLength(1);
  });
});

describe('readWorkbook: the header row', () => {
  const titled = (wb: ExcelJS.Workbook) => {
    const ws = wb.addWorksheet('Respuestas');
    ws.getCell('A1').value = 'Encuesta de satisfacción — marzo 2025';
    ws.getCell('A2').value = 'Generado';
    ws.getCell('B2').value = new Date(Date.UTC(2025, 3, 1));
    // row 3 left empty
    ws.getRow(4).values = ['Fecha', 'Canal', 'Puntuación'];
    ws.getRow(5).values = [new Date(Date.UTC(2025, 2, 3, 9, 15)), 'Teléfono', 9];
    ws.getRow(6).values = [new Date(Date.UTC(2025, 2, 4, 18, 0)), 'Web', 6];
  };

  it('asks the sink which of the top rows is the header; rows above it are not records', async () => {
    const path = await book('titulo.xlsx', titled);
    const seen: string[][][] = [];
    const { sink, out } = tables({
      headerRow: (rows) => {
        seen.push(rows);
        return rows.findIndex((r) => r.includes('Puntuación'));
      },
    });
    await readWorkbook(path, sink);
    // Empty rows are not offered; dates are shown as text.
    expect(seen).toEqual([
      [
        ['Encuesta de satisfacción — marzo 2025'],
        ['Generado', '2025-04-01'],
        ['Fecha', 'Canal', 'Puntuación'],
        ['2025-03-03 09:15:00', 'Teléfono', '9'],
        ['2025-03-04 18:00:00', 'Web', '6'],
      ],
    ]);
    expect(out[0]!.header).toEqual(['Fecha', 'Canal', 'Puntuación']);
    expect(out[0]!.rows.map((r) => r.line)).toEqual([5, 6]);
    expect(out[0]!.rows[0]!.cells).toEqual([new Date(Date.UTC(2025, 2, 3, 9, 15)), 'Teléfono', 9]);
    expect(out[0]!.info.notes[0]).toBe('header on row 4; the 2 rows above it (a title block) not read as records');
  });

  it('chooses by itself without the method, or when the sink returns -1', async () => {
    const path = await book('titulo2.xlsx', titled);
    for (const options of [{}, { headerRow: () => -1 }]) {
      const { sink, out } = tables(options);
      await readWorkbook(path, sink);
      expect(out[0]!.header).toEqual(['Fecha', 'Canal', 'Puntuación']);
      expect(out[0]!.rows).toHaveLength(2);
    }
  });

  it('names empty and merged-over header cells column_N and drops empty trailing columns', async () => {
    const path = await book('merged.xlsx', (wb) => {
      const ws = wb.addWorksheet('Datos');
      ws.getRow(1).values = ['id', 'Valoración', null, null, 'Comentario', '', null];
      ws.mergeCells('B1:C1');
      ws.getRow(2).values = ['a', 9, 'nota', null, 'bien'];
      ws.getRow(3).values = ['b', 7];
      ws.getCell('G5').value = ' '; // a blank cell far right: no column for it
      ws.getRow(5).getCell(1).value = 'c';
    });
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.header).toEqual(['id', 'Valoración', 'column_3', 'column_4', 'Comentario']);
    expect(out[0]!.rows).toEqual([
      { cells: ['a', 9, 'nota', null, 'bien'], line: 2 },
      { cells: ['b', 7, null, null, null], line: 3 },
      { cells: ['c', null, null, null, null], line: 5 },
    ]);
    expect(out[0]!.added).toEqual([]);
  });

  it('adds a column for a value right of the header, before the row that holds it', async () => {
    const path = await book('right.xlsx', (wb) => {
      const ws = wb.addWorksheet('Datos');
      ws.addRow(['id', 'nps']);
      ws.addRow(['a', 9]);
      ws.addRow(['b', 8, null, 'ojo: revisar']);
      ws.addRow(['c', 7]);
    });
    const { sink, out, calls } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.added).toEqual([['column_3', 'column_4']]);
    expect(calls.slice(1)).toEqual(['row:2', 'add:column_3,column_4', 'row:3', 'row:4']);
    expect(out[0]!.rows.map((r) => r.cells)).toEqual([['a', 9], ['b', 8, null, 'ojo: revisar'], ['c', 7, null, null]]);
    expect(out[0]!.info.notes).toContain('values right of the header kept as column_3, column_4');
  });

  it('skips rows of blank cells and counts those below the header', async () => {
    const path = await book('blank.xlsx', (wb) => {
      const ws = wb.addWorksheet('Datos');
      ws.getRow(2).values = ['id', 'nps'];
      ws.getRow(3).values = ['a', 1];
      ws.getRow(4).values = ['  ', null];
      ws.getRow(5).getCell(1).numFmt = '0.00'; // formatted, empty
      ws.getRow(6).values = ['b', 2];
    });
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.rows.map((r) => r.line)).toEqual([3, 6]);
    // rows 4 (spaces) and 5 (a formatted empty cell, present in the XML)
    expect(out[0]!.info.notes).toContain('skipped 2 rows with only empty cells');
  });
});

describe('readWorkbook: cell types', () => {
  it('gives Dates whose UTC fields are the wall clock, numbers, and text as written', async () => {
    const path = await book('tipos.xlsx', (wb) => {
      const ws = wb.addWorksheet('Datos');
      ws.addRow(['Fecha', 'Texto fecha', 'Hora', 'Duración', 'Importe', 'Canal', 'Web', 'Activo']);
      const r = ws.addRow([
        new Date(Date.UTC(2025, 0, 31, 23, 45, 10)),
        '31/01/2025 23:45',
        0.4375,
        5025 / 86400,
        1234.5,
        { richText: [{ text: 'Correo ' }, { font: { bold: true }, text: 'electrónico' }] },
        { text: 'portal', hyperlink: 'https://example.com/' },
        true,
      ]);
      r.getCell(1).numFmt = 'dd/mm/yyyy hh:mm:ss';
      r.getCell(3).numFmt = 'hh:mm';
      r.getCell(4).numFmt = '[h]:mm:ss';
      r.getCell(5).numFmt = '#,##0.00 "€"';
    });
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.rows[0]!.cells).toEqual([
      new Date(Date.UTC(2025, 0, 31, 23, 45, 10)),
      '31/01/2025 23:45',
      '10:30:00',
      '1:23:45',
      1234.5,
      'Correo electrónico',
      'portal',
      true,
    ]);
  });

  it('gives formulas their cached results, and reads errors and uncalculated formulas as blank, with notes', async () => {
    const path = await book('formulas.xlsx', (wb) => {
      const ws = wb.addWorksheet('Datos');
      ws.addRow(['id', 'Fecha', 'Total', 'Nota', 'Ratio', 'Sin calcular']);
      const r = ws.addRow(['a', { formula: 'DATE(2025,1,31)', result: new Date(Date.UTC(2025, 0, 31)) }, { formula: '2+2', result: 4 }, { formula: 'IF(1,"sí","no")', result: 'sí' }, { error: '#DIV/0!' }, { formula: 'A1' }]);
      r.getCell(2).numFmt = 'dd/mm/yyyy';
      ws.addRow(['b', null, null, null, { formula: '1/0', result: { error: '#DIV/0!' } }, { formula: 'NA()', result: { error: '#N/A' } }]);
    });
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.rows.map((r) => r.cells)).toEqual([
      ['a', new Date(Date.UTC(2025, 0, 31)), 4, 'sí', null, null],
      ['b', null, null, null, null, null],
    ]);
    // Errors: E2 (typed), E3 and F3 (cached results of formulas); F2 was never calculated.
    expect(out[0]!.info.notes).toContain('3 error values (#N/A, #DIV/0!…) read as blank, first E2 (#DIV/0!)');
    expect(out[0]!.info.notes).toContain(
      '1 formula saved without a result read as blank, first F2 (open and save the workbook in Excel or LibreOffice to store results)',
    );
  });

  it('reads the 1904 date system', async () => {
    const path = await book('1904.xlsx', (wb) => {
      wb.properties.date1904 = true;
      const ws = wb.addWorksheet('Datos');
      ws.addRow(['Fecha']);
      ws.addRow([new Date(Date.UTC(2025, 0, 31, 10, 30))]).getCell(1).numFmt = 'yyyy-mm-dd hh:mm';
    });
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.rows[0]!.cells).toEqual([new Date(Date.UTC(2025, 0, 31, 10, 30))]);
  });

  it('keeps accented text whole across chunk boundaries (exceljs decodes chunks apart)', async () => {
    // Mostly two-byte characters, so that nearly every 16 KiB chunk boundary falls inside one.
    const text = (i: number) => `Atención ñandú ${'óé'.repeat(20)} número ${i}`;
    for (const useSharedStrings of [true, false]) {
      const path = join(dir, `utf8-${useSharedStrings}.xlsx`);
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: false });
      const ws = writer.addWorksheet('Comentarios');
      ws.addRow(['id', 'Comentario']).commit();
      for (let i = 0; i < 5000; i++) ws.addRow([i, text(i)]).commit();
      ws.commit();
      await writer.commit();
      const { sink, out } = tables();
      await readWorkbook(path, sink);
      const wrong = out[0]!.rows.filter((r) => r.cells[1] !== text(r.cells[0] as number));
      expect(wrong.slice(0, 3), `useSharedStrings: ${useSharedStrings}`).toEqual([]);
      expect(out[0]!.rows).toHaveLength(5000);
    }
  });
});

describe('readWorkbook: files written in other ways', () => {
  const sheetData =
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t>Comen</t></r><r><rPr><b/></rPr><t>tario</t></r></is></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>' +
    '<row r="2"><c r="A2" s="1"><v>45688.4375</v></c><c r="B2" t="inlineStr"><is><t>bien &amp; rápido</t></is></c><c r="C2" t="b"><f>TRUE()</f><v>1</v></c><c r="D2" s="5"><v>12.5</v></c></row>' +
    '<row><c t="d"><v>2025-02-01T08:00:00</v></c><c/><c t="e"><f>1/0</f><v>#DIV/0!</v></c></row>';
  const strings = ['Fecha', 'Resuelto', '<r><t>Impor</t></r><r><t>te</t></r>'];

  it('reads the parts in the order it needs them, whatever their order in the zip', async () => {
    // exceljs's streaming driver parses this sheet as soon as it meets it: before styles.xml
    // (dates as plain numbers) and before workbook.xml (it crashes on the missing sheet list).
    const p = parts(sheetData, { sharedStrings: strings });
    const path = await raw('order.xlsx', zip([p.rels, p.strings, p.sheet, p.styles, p.workbook]));
    const { sink, out } = tables();
    await readWorkbook(path, sink);
    expect(out[0]!.info.file).toBe(`${path}#Datos`);
    expect(out[0]!.header).toEqual(['Fecha', 'Comentario', 'Resuelto', 'Importe']);
    expect(out[0]!.rows).toEqual([
      { cells: [new Date(Date.UTC(2025, 0, 31, 10, 30)), 'bien & rápido', true, 12.5], line: 2 },
      // a row and cells without `r` follow the previous ones
      { cells: ['2025-02-01T08:00:00', null, null, null], line: 3 },
    ]);
    expect(out[0]!.info.notes).toContain('1 error value (#N/A, #DIV/0!…) read as blank, first C3 (#DIV/0!)');
  });

  it('reads a workbook without shared strings, and one whose elements carry a namespace prefix', async () => {
    const inline = '<row r="1"><c r="A1" t="inlineStr"><is><t>nps</t></is></c></row><row r="2"><c r="A2"><v>9</v></c></row>';
    const p = parts(inline);
    const q = parts(inline.replace(/<(\/?)(row|c|v|is|t)\b/g, '<$1x:$2'), { prefix: 'x' });
    for (const [name, files] of [
      ['no-sst.xlsx', [p.workbook, p.rels, p.styles, p.sheet]],
      ['prefixed.xlsx', [q.workbook, q.rels, q.styles, q.strings, q.sheet]],
    ] as const) {
      const { sink, out } = tables();
      await readWorkbook(await raw(name, zip([...files])), sink);
      expect(out.map((t) => [t.header, t.rows]), name).toEqual([[['nps'], [{ cells: [9], line: 2 }]]]);
    }
  });

  it('reads sheets in tab order, skips chart sheets, and reads a sheet whose part is missing as empty', async () => {
    const p = parts('<row r="1"><c r="A1" t="inlineStr"><is><t>nps</t></is></c></row><row r="2"><c r="A2"><v>9</v></c></row>');
    const rels =
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet9.xml"/></Relationships>';
    const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><sheets><sheet name="Perdida" sheetId="3" r:id="rId3"/><sheet name="Gráfico" sheetId="2" r:id="rId2"/><sheet name="Datos" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    const path = await raw('tabs.xlsx', zip([p.sheet, ['xl/_rels/workbook.xml.rels', rels], p.styles, ['xl/workbook.xml', workbook], ['xl/chartsheets/sheet1.xml', '<chartsheet/>']]));
    const { sink, out } = tables();
    const info = await readWorkbook(path, sink);
    expect(out.map((t) => [t.info.file.split('#')[1], t.header, t.rows.length])).toEqual([
      ['Perdida', [], 0],
      ['Datos', ['nps'], 1],
    ]);
    expect(info!.notes).toEqual(['Excel workbook, 2 sheets: Perdida, Datos', 'chart sheets skipped (no cells): Gráfico']);
  });

  it('reads dates of the 1904 system written by another tool', async () => {
    const p = parts('<row r="1"><c r="A1" t="inlineStr"><is><t>Fecha</t></is></c></row><row r="2"><c r="A2" s="1"><v>44226.4375</v></c></row>', { date1904: true });
    const { sink, out } = tables();
    await readWorkbook(await raw('d1904.xlsx', zip([p.workbook, p.rels, p.styles, p.sheet])), sink);
    expect(out[0]!.rows[0]!.cells).toEqual([new Date(Date.UTC(2025, 0, 31, 10, 30))]);
  });
});

describe('readWorkbook: --sheet', () => {
  let path: string;
  beforeAll(async () => {
    path = await book('dos.xlsx', (wb) => {
      wb.addWorksheet('Encuestas').addRows([['id', 'nps'], ['a', 9]]);
      wb.addWorksheet('Tickets').addRows([['ticket id', 'created at'], ['T1', '2025-01-01']]);
    });
  });

  it('reads only the sheet named, whatever the case', async () => {
    const { sink, out } = tables();
    const info = await readWorkbook(path, sink, { sheet: 'tickets' });
    expect(out.map((t) => t.info.file)).toEqual([`${path}#Tickets`]);
    expect(info!.notes).toEqual(['Excel workbook, 2 sheets: Encuestas, Tickets', 'only sheet "Tickets" read (--sheet)']);
  });

  it('names the sheets there are when none matches', async () => {
    const error = await failure(readWorkbook(path, tables().sink, { sheet: 'Respuestas' }));
    expect(error.code).toBe('INPUT_NOT_FOUND');
    expect(error.message).toBe(`${path}: no sheet named "Respuestas" (sheets: "Encuestas", "Tickets")`);
  });
});

describe('readWorkbook: what is not a readable workbook', () => {
  const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

  it('explains how to convert an Excel 97-2003 .xls', async () => {
    const error = await failure(readWorkbook(await raw('viejo.xls', ole2), tables().sink));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/viejo\.xls: an Excel 97-2003 workbook \(\.xls\), which cxm does not read$/);
    expect(error.hint).toBe('open it in Excel or LibreOffice and save as .xlsx or CSV (`libreoffice --headless --convert-to xlsx file.xls`)');
  });

  it('recognises an encrypted workbook (or a renamed .xls) behind .xlsx', async () => {
    const error = await failure(readWorkbook(await raw('secreto.xlsx', ole2), tables().sink));
    expect(error.message).toMatch(/secreto\.xlsx: a password-protected workbook, or an old \.xls workbook renamed \.xlsx/);
    expect(error.hint).toMatch(/remove the password/);
  });

  it('reads an .xlsx saved with an .xls name, and gives text saved as .xls back to be read as text', async () => {
    const real = await book('real.xlsx', (wb) => wb.addWorksheet('S').addRows([['id', 'nps'], ['a', 9]]));
    const renamed = await raw('renombrado.xls', await import('node:fs/promises').then((fs) => fs.readFile(real)));
    const { sink, out } = tables();
    const info = await readWorkbook(renamed, sink);
    expect(out[0]!.rows).toHaveLength(1);
    expect(info!.notes[0]).toBe('named .xls, but an .xlsx workbook inside: read as one');
    expect(await readWorkbook(await raw('export.xls', 'id\tnps\na\t9\n'), tables().sink)).toBeNull();
  });

  it('refuses a non-ZIP .xlsx, a truncated one and a ZIP without sheets', async () => {
    const notZip = await failure(readWorkbook(await raw('texto.xlsx', 'id,nps\na,9\n'), tables().sink));
    expect(notZip.message).toMatch(/texto\.xlsx: not an Excel workbook \(an \.xlsx file is a ZIP archive/);
    const whole = zip(Object.values(parts('<row r="1"><c r="A1"><v>1</v></c></row>')));
    const cut = await failure(readWorkbook(await raw('cortado.xlsx', whole.subarray(0, Math.floor(whole.length * 0.6))), tables().sink));
    expect(cut.code).toBe('INPUT_UNREADABLE');
    expect(cut.message).toMatch(/cortado\.xlsx: the workbook ends early \(truncated or damaged\)$/);
    const docx = await failure(readWorkbook(await raw('doc.xlsx', zip([['word/document.xml', '<w:document/>']])), tables().sink));
    expect(docx.message).toMatch(/doc\.xlsx: a ZIP archive without a workbook part \(xl\/workbook\.xml\), not an Excel workbook$/);
  });

  it('returns an empty file as such, without calling the sink', async () => {
    const { sink, calls } = tables();
    const info = await readWorkbook(await raw('vacio.xlsx', ''), sink);
    expect(info!.notes).toEqual(['empty file']);
    expect(calls).toEqual([]);
  });

  it('lets errors thrown by the sink through unchanged', async () => {
    const path = await book('sinkerr.xlsx', (wb) => wb.addWorksheet('S').addRows([['id'], ['a']]));
    const thrown = new CxmError('AMBIGUOUS_DATE_ORDER', 'from the sink');
    const error = await failure(
      readWorkbook(path, {
        header() {},
        row() {
          throw thrown;
        },
        malformed() {},
      }),
    );
    expect(error).toBe(thrown);
  });
});

describe('readSource dispatches workbooks', () => {
  it('reads .xlsx through readWorkbook, relative to cwd', async () => {
    await book('rel.xlsx', (wb) => wb.addWorksheet('Hoja1').addRows([['id', 'nps'], ['a', 9]]));
    const sink = collect();
    const info = await readSource('rel.xlsx', sink, { cwd: dir });
    expect(sink.result.info?.file).toBe('rel.xlsx#Hoja1');
    expect(sink.result.rows).toEqual([{ cells: ['a', 9], line: 2 }]);
    expect(info.format).toBe('xlsx');
  });

  it('reads an .xls that is tab-separated text as text', async () => {
    await raw('web-export.xls', 'id\tnps\na\t9\n');
    const sink = collect();
    const info = await readSource('web-export.xls', sink, { cwd: dir });
    expect(info.format).toBe('csv');
    expect(info.delimiter).toBe('\t');
    expect(sink.result.header).toEqual(['id', 'nps']);
  });
});
