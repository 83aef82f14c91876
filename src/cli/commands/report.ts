/**
 * `cxm report`: every metric the inputs allow, overall and by period and segment, with 95%
 * confidence intervals and period-over-period significance; what could not be computed and why;
 * the row accounting.
 */
import { Command, Option } from 'commander';
import { emit, useColor } from '../io.js';
import { inputOptions } from '../options.js';
import { threadsOption } from '../threads.js';
import { analysisOptions } from './shared.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'md', 'html'] as const;

export function defineReport(program: Command): Command {
  const command = program
    .command('report')
    .summary('compute every CX metric the inputs allow')
    .description(
      `Compute every customer-experience metric the inputs allow — NPS, CSAT, CES, response rates, ticket volumes and times, first-contact resolution, call abandonment and handle time, return, complaint and invoice-change rates, churn, retention, lifetime value, social mentions — with n and a 95% confidence interval, and list what could not be computed and why.

With --period, every period is compared with the previous one and the change is marked significant or not (two-sample adjusted-Wald for NPS, Newcombe for rates, Welch for means). With --by, each metric is also broken down by segment. JSON and CSV carry raw units (rates 0..1, durations in seconds, NPS in points); tables humanise them.

--format html writes one self-contained page to send on (inline CSS and SVG charts, no network requests; opens from disk or as an e-mail attachment): headline tiles, a trend chart per metric with anomaly markers (with --period), answer distributions, tickets by channel, the drivers of NPS (else CSAT) and comment themes, every metric, the row accounting, the first rejects and each metric's definition. It is the one output whose body shows a time: the --now instant when given (then the page is byte-identical run to run), else the time it was made.

Cost: one streaming pass over the inputs; memory grows with the records kept for joins.`,
    )
    .argument('[inputs...]', 'files, directories, globs, or - for stdin (default: the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .addOption(new Option('-o, --out <file>', 'write the report to this file (atomically) instead of stdout'))
    .addOption(new Option('--metrics <ids>', 'only these metrics, comma-separated (see `cxm metrics`)'))
    .addOption(new Option('--title <text>', 'heading of the HTML report (default: Customer-experience report)'));
  for (const option of analysisOptions()) command.addOption(option);
  for (const option of inputOptions()) command.addOption(option);
  command.addOption(threadsOption());
  command.addHelpText(
    'after',
    `
Examples:
  cxm report fixtures/demo/
  cxm report exports/ --period month --by channel
  cxm report exports/ --since last-month --format md > report.md
  cxm report exports/ --period month --format html --now 2025-07-01 --out report.html
  cxm report exports/ --metrics nps,csat --format json --out report.json`,
  );
  command.action(async (inputs: string[], raw: Record<string, unknown>) => {
    const { buildReport } = await import('./report-run.js');
    const run = await buildReport(inputs, raw);
    const { model, color } = run;
    const format = raw.format as (typeof REPORT_FORMATS)[number];
    const out = raw.out as string | undefined;
    if (format === 'html') {
      const { renderHtmlReport } = await import('./report-run.js');
      return emit(await renderHtmlReport(run, raw), out);
    }
    if (format === 'json') return emit(`${JSON.stringify(model, null, 2)}\n`, out);
    if (format === 'csv') {
      const { renderReportCsv } = await import('../../report/render-csv.js');
      return emit(renderReportCsv(model), out);
    }
    if (format === 'md') {
      const { renderReportMarkdown } = await import('../../report/render-md.js');
      return emit(renderReportMarkdown(model), out);
    }
    const { renderReportTable } = await import('../../report/render-report.js');
    return emit(renderReportTable(model, { color: out ? false : useColor(color) }), out);
  });
  return command;
}
