/**
 * `cxm drivers`: which operational failures (returns, complaints, invoice corrections, reopened
 * tickets, slow responses, abandoned calls, late deliveries…) go with lower NPS, CSAT or CES, or
 * with churn; how strongly (difference with a 95% interval, impact) and how sure (p, q); and the
 * words of open-text comments that set unhappy customers apart.
 */
import { Command, Option } from 'commander';
import { emit, useColor } from '../io.js';
import { inputOptions, invalidOption } from '../options.js';

export const DRIVERS_FORMATS = ['table', 'json', 'md', 'csv'] as const;
export const DRIVER_OUTCOMES = ['nps', 'csat', 'ces', 'churn'] as const;

/** A whole number within bounds, or the standard invalid-option error. */
function wholeNumber(raw: unknown, name: string, min: number, must: string): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min) throw invalidOption(name, must, raw);
  return value;
}

export function defineDrivers(program: Command): Command {
  const command = program
    .command('drivers')
    .summary('link company actions (returns, complaints, late deliveries…) to NPS, CSAT, CES and churn')
    .description(
      `Find which operational events go with worse customer outcomes. Each outcome — an NPS, CSAT or CES answer, or a customer's churn — is split by whether the customer had an exposure within --window days before it: a return (and by reason), a complaint (by category), an invoice corrected or credited (by type), a reopened ticket, a ticket not resolved on first contact, a first response slower than the 75th percentile (or the configured SLA), an abandoned call, a late delivery, a failed installation, a contact through each channel; plus --by attributes of the outcome (segment=b2b vs the rest). Exposures are derived from whatever files are given and linked by customer id (records without one link through their order or ticket id). Events after the outcome never count. For churn the window ends at the churn date, or at the end of the data for customers who stayed.

For each exposure: n and outcome among exposed and unexposed, the difference with a 95% interval (NPS: two-sample adjusted-Wald; CSAT and churn shares: Newcombe; CES means: Welch), p, Benjamini-Hochberg q over the ranked exposures, the risk ratio for churn, and impact = n_exposed/n × difference (= overall − unexposed: how far the exposure moves the overall figure); rows are ranked by |impact|. Groups smaller than --min-group are shown, not ranked. --control stratifies by a confounder and adds the Mantel-Haenszel-weighted difference. Comment themes: the words and two-word phrases most over-represented among detractors vs promoters (dissatisfied vs satisfied…), by weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008); a theme dictionary in the config ("drivers": {"themes": {...}}) adds each theme's impact.

These are associations, not proof of causation.

Defaults: --window and --min-group from the config's "drivers" section, else 90 days and 30. Cost: one pass over the inputs, then O(n log n) linking.`,
    )
    .argument('[inputs...]', 'files, directories, globs, or - for stdin (default: the current directory)')
    .addOption(new Option('--outcome <outcome>', 'what to explain').choices(DRIVER_OUTCOMES).default('nps'))
    .addOption(new Option('--window <days>', 'an exposure counts when it happened within this many days before the outcome (default: config, else 90)'))
    .addOption(new Option('--min-group <n>', 'exposures with fewer outcomes in a group are shown but not ranked (default: config, else 30)'))
    .addOption(
      new Option('--by <field>', 'also compare each value of this outcome (or customer) field against the rest, e.g. segment, channel; repeatable').argParser(
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      ),
    )
    .addOption(new Option('--control <field>', 'stratify by this confounder (segment, channel…) and report the Mantel-Haenszel difference next to the crude one'))
    .addOption(new Option('--themes <n>', 'comment-theme terms per side (0: none)').default('10'))
    .addOption(new Option('--since <when>', 'only outcomes from this date on: 2025-03-01, or relative: last-month, last-90d, ytd'))
    .addOption(new Option('--until <when>', 'only outcomes before this date (exclusive); for churn, the end of the data'))
    .addOption(new Option('--now <instant>', 'the current time for relative ranges (reproducible runs)'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(DRIVERS_FORMATS).default('table'))
    .addOption(new Option('-o, --out <file>', 'write the output to this file (atomically) instead of stdout'));
  for (const option of inputOptions()) command.addOption(option);
  command.addHelpText(
    'after',
    `
Examples:
  cxm drivers fixtures/demo/ --tz Europe/Madrid
  cxm drivers exports/ --outcome csat --window 60 --by segment --control channel
  cxm drivers exports/ --outcome churn --format json --out drivers.json`,
  );
  command.action(async (inputs: string[], raw: Record<string, unknown>) => {
    const windowFlag = wholeNumber(raw.window, '--window', 1, 'a whole number of days >= 1');
    const minGroupFlag = wholeNumber(raw.minGroup, '--min-group', 1, 'a whole number >= 1');
    const themes = wholeNumber(raw.themes, '--themes', 0, 'a whole number >= 0')!;
    const { loadInputs } = await import('../inputs.js');
    const { options, dataset } = await loadInputs(inputs, raw);
    const { resolveAnalysis } = await import('./report-run.js');
    const { resolveScales } = await import('../../dataset/load.js');
    const { resolveSettings } = await import('../../metrics/registry.js');
    const { analyzeDrivers, availableOutcomes } = await import('../../analysis/drivers.js');
    const { CxmError } = await import('../../errors.js');
    const config = options.config;
    // --tz, --now, --since/--until as every analysing command reads them (drivers has no --week-start: the config's).
    const { zone, since, until } = resolveAnalysis(options, { now: raw.now, since: raw.since, until: raw.until });
    const outcome = raw.outcome as (typeof DRIVER_OUTCOMES)[number];
    const available = availableOutcomes(dataset);
    if (!available.includes(outcome)) {
      const what = outcome === 'churn' ? 'customer records with a churn date, flag or status' : `survey answers with ${outcome === 'nps' ? 'an NPS' : `a ${outcome.toUpperCase()}`} score`;
      throw new CxmError('NO_INPUT_DATA', `no ${what} among the inputs, so --outcome ${outcome} has nothing to explain`, {
        hint: available.length ? `these inputs allow --outcome ${available.join(', ')}` : '`cxm inspect` shows what each file was read as',
      });
    }
    const drivers = config.drivers ?? {};
    const analysis = analyzeDrivers(dataset, {
      outcome,
      windowDays: windowFlag ?? drivers.window ?? 90,
      minGroup: minGroupFlag ?? drivers.minGroup ?? 30,
      by: (raw.by as string[] | undefined) ?? [],
      control: (raw.control as string | undefined) ?? null,
      themes,
      themeDictionary: drivers.themes ?? {},
      slaFirstResponseSeconds: drivers.sla?.firstResponseSeconds ?? null,
      settings: resolveSettings(config, resolveScales(config)),
      since,
      until,
      zone,
    });
    if (analysis.overall.n === 0) {
      throw new CxmError('NO_INPUT_DATA', `no ${outcome} outcome could be linked to a customer and placed in time${since !== null || until !== null ? ' within --since/--until' : ''}`, {
        hint: 'outcomes need a customer id (or an order or ticket id that leads to one) and a date; `cxm inspect` shows the column mapping',
      });
    }
    const render = await import('../../report/render-drivers.js');
    const model = render.buildDriversModel(dataset, analysis);
    const format = raw.format as (typeof DRIVERS_FORMATS)[number];
    const out = raw.out as string | undefined;
    if (format === 'json') return emit(`${JSON.stringify(model, null, 2)}\n`, out);
    if (format === 'csv') return emit(render.renderDriversCsv(model), out);
    if (format === 'md') return emit(render.renderDriversMarkdown(model), out);
    return emit(render.renderDriversTable(model, { color: out ? false : useColor(options.color) }), out);
  });
  return command;
}
