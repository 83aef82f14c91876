/**
 * `cxm export`: metrics as a CSV with a stable schema, for spreadsheets and cron jobs: one row per
 * period x segment x metric (or wide), written atomically, appended by period.
 */
import { Command, Option } from 'commander';
import { inputOptions } from '../options.js';
import { threadsOption } from '../threads.js';
import { analysisOptions } from './shared.js';

export function defineExport(program: Command): Command {
  const command = program
    .command('export')
    .summary('write metrics per period as CSV, for spreadsheets and cron jobs')
    .description(
      `Write the metrics as CSV with a stable schema — the rows of \`cxm report --format csv\` (the same renderer), sorted by period_start, then the segment columns, then the metric in catalogue order.

Columns, in this order (stable: documented here and in the README, never reordered):
  long (default)  period_start, period_end, period, <one column per --by field>, metric, value, n, ci_low, ci_high, unit
  --wide          period_start, period_end, period, <--by fields>, then per metric: <metric>, <metric>_n, <metric>_ci_low, <metric>_ci_high
period_start and period_end are local date-times with their offset in --tz (end exclusive); period is the key (2025-W07, 2025-03, 2025-Q1); values are raw: rates 0..1, durations in seconds, NPS in points. Wide columns are the metrics the data allows, in catalogue order, or exactly the --metrics list (empty cells for a metric the data cannot compute) — pin them with --metrics when a file is appended to for months.

Rows: with --period, the period rows only (every period of the range appears, with n = 0 where it holds no data) and no overall rows; without --period, the overall rows only.

Relative ranges (--since last-week, last-month, last-30d…) are resolved against --now, else the clock, in --tz (a week is the ISO week, Monday to Monday, in that zone). \`--since last-week\` alone means that whole week.

--append adds the periods of this run to --out and keeps the others: the rows of a period this run computed replace that period's old rows (a re-run of the same week with the same data leaves the file byte for byte the same; a re-run after the data was corrected replaces that week). It needs --period and --out. The file's header must equal this export's (same --by, --wide, --metrics, --excel); a mismatch exits 2 and the file is left untouched; a file that is not CSV cxm can parse exits 3.

--excel writes for Excel in decimal-comma locales (Spain): ';' separators, a UTF-8 byte-order mark, CRLF line ends and decimal commas. Cells that begin with =, +, -, @, tab or CR are prefixed with ' (formula injection), except numbers.

--out is written atomically (a temporary file, then a rename): a killed or failed run leaves the previous file as it was.`,
    )
    .argument('[inputs...]', 'files, directories, globs, or - for stdin (default: the current directory)')
    .addOption(new Option('-o, --out <file>', 'write to this file (atomically) instead of stdout'))
    .addOption(new Option('--wide', 'one row per period x segment, four columns per metric'))
    .addOption(new Option('--append', 'merge into --out by period: this run\'s periods replace theirs, the others are kept (needs --period)'))
    .addOption(new Option('--excel', 'Excel in decimal-comma locales: ";" separators, UTF-8 BOM, CRLF, decimal commas'))
    .addOption(new Option('--metrics <ids>', 'only these metrics, comma-separated (see `cxm metrics`); with --wide, exactly these columns'));
  for (const option of analysisOptions()) command.addOption(option);
  for (const option of inputOptions()) command.addOption(option);
  command.addOption(threadsOption());
  command.addHelpText(
    'after',
    `
Examples:
  cxm export exports/ --period month --by channel --out monthly.csv
  cxm export exports/ --period week --since last-week --tz Europe/Madrid --out weekly.csv --append
  cxm export exports/ --period week --wide --metrics nps,csat,first_response_time --excel --out semanal.csv

A crontab line that appends last week's rows every Monday at 06:00:
  0 6 * * 1  cd /srv/cx && npx cxm export exports/ --period week --since last-week --tz Europe/Madrid --out weekly.csv --append`,
  );
  command.action(async (inputs: string[], raw: Record<string, unknown>) => runExport(inputs, raw));
  return command;
}

async function runExport(inputs: string[], raw: Record<string, unknown>): Promise<void> {
  const { CxmError } = await import('../../errors.js');
  const out = raw.out as string | undefined;
  if (raw.append && (!out || out === '-')) throw new CxmError('USAGE', '--append needs --out FILE', { hint: 'name the file to append to: --out weekly.csv --append' });
  if (raw.append && raw.period === undefined) {
    throw new CxmError('USAGE', '--append needs --period', { hint: 'rows are kept or replaced by period: --period week --append' });
  }
  const { buildReport } = await import('./report-run.js');
  const { EXCEL_CSV, PLAIN_CSV, exportTable, keyColumnCount, mergeByPeriod, parseCsvTable, renderCsvTable } = await import('../../report/render-export.js');
  const { emit, stderrLine } = await import('../io.js');
  const { readFile } = await import('node:fs/promises');

  const { model } = await buildReport(inputs, raw);
  const dialect = raw.excel ? EXCEL_CSV : PLAIN_CSV;
  const metrics =
    raw.metrics === undefined
      ? null
      : String(raw.metrics)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  let table = exportTable(model, { wide: Boolean(raw.wide), dialect, metrics });
  const periods = new Set(table.rows.map((row) => row.slice(0, 3).join('\u0000'))).size;
  let summary = `wrote ${table.rows.length} row${table.rows.length === 1 ? '' : 's'}${model.settings.period ? ` (${periods} ${model.settings.period}${periods === 1 ? '' : 's'})` : ''} to ${out}`;

  if (raw.append) {
    let text: string | null = null;
    try {
      text = await readFile(out!, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        throw new CxmError('INPUT_UNREADABLE', `cannot read ${out} to append to it: ${code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, {
          where: { file: out },
          hint: 'check the --out path and its permissions',
        });
      }
    }
    if (text !== null && text.replace(/^\uFEFF/, '').trim() !== '') {
      const existing = parseCsvTable(text, dialect.delimiter);
      if ('error' in existing) {
        throw new CxmError('INPUT_MALFORMED', `cannot append: the file is not CSV cxm can read (${existing.error})`, {
          where: { file: out },
          hint: 'the file was left as it was; write to a new file, or move this one aside',
        });
      }
      if (existing.header.join('\u0000') !== table.header.join('\u0000')) {
        const looksExcel = text.startsWith('\uFEFF') || (text.split(/\r?\n/, 1)[0]!.includes(';') && !text.split(/\r?\n/, 1)[0]!.includes(','));
        const dialectHint = looksExcel && !raw.excel ? 'the file looks written with --excel: add --excel. ' : !looksExcel && raw.excel ? 'the file looks written without --excel: drop --excel. ' : '';
        throw new CxmError('USAGE', `cannot append: the file's header differs from this export's\n  file:   ${existing.header.join(dialect.delimiter).slice(0, 300)}\n  export: ${table.header.join(dialect.delimiter).slice(0, 300)}`, {
          where: { file: out },
          hint: `${dialectHint}the file was left as it was; append with the options that wrote it (--by, --wide, --metrics, --excel), or write to a new file`,
        });
      }
      const merged = mergeByPeriod(existing, table, keyColumnCount(model.settings.by));
      table = merged.table;
      summary = `${out}: ${merged.added} ${model.settings.period}${merged.added === 1 ? '' : 's'} added, ${merged.replaced} replaced, ${merged.kept} kept (${table.rows.length} rows)`;
    }
  }
  await emit(renderCsvTable(table, dialect), out);
  if (out && out !== '-') stderrLine(`cxm: ${summary}`);
}
