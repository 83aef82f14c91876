/**
 * `cxm anomalies`: the periods whose value falls outside a robust band around the periods before
 * them (median ± k·MAD of the trailing periods), for every metric the inputs allow. The same bands
 * sit on the period rows of `cxm report --period … --format json` (`anomaly`).
 */
import { Command, Option } from 'commander';
import { emit, useColor } from '../io.js';
import { inputOptions, invalidOption } from '../options.js';

export const ANOMALIES_FORMATS = ['table', 'json'] as const;

function positive(raw: unknown, name: string, must: string, integer: boolean): number {
  const text = String(raw).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw invalidOption(name, must, raw);
  return value;
}

export function defineAnomalies(program: Command): Command {
  const command = program
    .command('anomalies')
    .summary('flag periods whose metric value falls outside the robust band of the periods before')
    .description(
      `Compute every metric the inputs allow per --period (default week) and flag each period whose value lies outside median ± k × MAD of the trailing periods (MAD scaled by 1.4826, so the band is about ±k standard deviations for normal data; when more than half the trailing values are equal, the scaled mean absolute deviation stands in). A period needs at least --min-history trailing periods with a value; the first ones of each series are never judged. A partial period at either end of the data (often low for counts) is marked as such.

Defaults: k = 3, 8 trailing periods, at least 4 with a value. The table lists the flagged periods; --all lists every period that had a band. JSON carries raw units (rates 0..1, durations in seconds).`,
    )
    .argument('[inputs...]', 'files, directories, globs, or - for stdin (default: the current directory)')
    .addOption(new Option('--period <unit>', 'the periods to compare').choices(['day', 'week', 'month', 'quarter', 'year'] as const).default('week'))
    .addOption(new Option('--k <width>', 'band half-width in scaled MADs').default('3'))
    .addOption(new Option('--trailing <n>', 'trailing periods the band is made of').default('8'))
    .addOption(new Option('--min-history <n>', 'least trailing periods with a value for a band').default('4'))
    .addOption(new Option('--all', 'list every period that had a band, flagged or not'))
    .addOption(new Option('--metrics <ids>', 'only these metrics, comma-separated (see `cxm metrics`)'))
    .addOption(
      new Option('--by <field>', 'also judge each segment of this field on its own series; repeatable').argParser((value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ]),
    )
    .addOption(new Option('--week-start <day>', 'first day of a week (ISO weeks start on Monday)').choices(['monday', 'sunday'] as const))
    .addOption(new Option('--since <when>', 'only records from this date on: 2025-03-01, or relative: last-month, ytd'))
    .addOption(new Option('--until <when>', 'only records before this date (exclusive)'))
    .addOption(new Option('--now <instant>', 'the current time for relative ranges (reproducible runs)'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(ANOMALIES_FORMATS).default('table'))
    .addOption(new Option('-o, --out <file>', 'write the output to this file (atomically) instead of stdout'));
  for (const option of inputOptions()) command.addOption(option);
  command.addHelpText(
    'after',
    `
Examples:
  cxm anomalies fixtures/demo/ --tz Europe/Madrid
  cxm anomalies exports/ --period day --k 4 --trailing 14 --metrics call_volume,abandonment_rate
  cxm anomalies exports/ --period month --format json --out anomalies.json`,
  );
  command.action(async (inputs: string[], raw: Record<string, unknown>) => {
    const k = positive(raw.k, '--k', 'a number > 0', false);
    const trailing = positive(raw.trailing, '--trailing', 'a whole number >= 1', true);
    const minHistory = positive(raw.minHistory, '--min-history', 'a whole number >= 1', true);
    if (minHistory > trailing) throw invalidOption('--min-history', `at most --trailing (${trailing})`, raw.minHistory);
    const { buildReport } = await import('./report-run.js');
    const { markAnomalies } = await import('../../analysis/anomalies.js');
    const { buildAnomaliesModel, renderAnomaliesTable } = await import('../../report/render-drivers.js');
    const { model: report, color } = await buildReport(inputs, raw);
    markAnomalies(report.metrics, { k, trailing, minHistory });
    const model = buildAnomaliesModel(report, { k, trailing, minHistory, all: Boolean(raw.all) });
    const out = raw.out as string | undefined;
    if (raw.format === 'json') return emit(`${JSON.stringify(model, null, 2)}\n`, out);
    return emit(renderAnomaliesTable(model, { color: out ? false : useColor(color) }), out);
  });
  return command;
}
