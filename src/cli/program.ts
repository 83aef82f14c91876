/**
 * The commander program: one registry of commands, each defined in its own file under
 * `commands/`. Only the command that runs (or whose help is asked for) has its module loaded;
 * the others are listed in `cxm --help` from the registry (name, summary, arguments), so
 * `cxm --help` and `cxm <command> --help` start fast. program.test.ts checks that the listing
 * from the registry is the one the modules would give.
 */
import { Command, Option } from 'commander';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package's version: package.json is three folders up in the build (dist/src/cli), two up in the sources (tests). */
function packageVersion(): string {
  try {
    return (require('../../../package.json') as { version: string }).version;
  } catch {
    return (require('../../package.json') as { version: string }).version;
  }
}

/** A command: what `cxm --help` lists, and the module that defines it, loaded only when needed. */
export interface CommandEntry {
  name: string;
  /** The command's `.summary()`, as its module sets it. */
  summary: string;
  /** Its arguments as `cxm --help` shows them after the name ('' for none). */
  args: string;
  /** Whether it has options (`cxm --help` then shows `[options]`). */
  options: boolean;
  /** Loads the module and returns its `define…(program)`. */
  load: () => Promise<(program: Command) => Command>;
}

/** Every command, in the order `cxm --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'report', summary: 'compute every CX metric the inputs allow', args: '[inputs...]', options: true, load: async () => (await import('./commands/report.js')).defineReport },
  {
    name: 'drivers',
    summary: 'link company actions (returns, complaints, late deliveries…) to NPS, CSAT, CES and churn',
    args: '[inputs...]',
    options: true,
    load: async () => (await import('./commands/drivers.js')).defineDrivers,
  },
  {
    name: 'anomalies',
    summary: 'flag periods whose metric value falls outside the robust band of the periods before',
    args: '[inputs...]',
    options: true,
    load: async () => (await import('./commands/anomalies.js')).defineAnomalies,
  },
  { name: 'check', summary: 'fail a CI job when a KPI breaks its threshold', args: '[inputs...]', options: true, load: async () => (await import('./commands/check.js')).defineCheck },
  { name: 'export', summary: 'write metrics per period as CSV, for spreadsheets and cron jobs', args: '[inputs...]', options: true, load: async () => (await import('./commands/export.js')).defineExport },
  { name: 'inspect', summary: 'show how each input file is read: kind, columns, dates, rejects', args: '[inputs...]', options: true, load: async () => (await import('./commands/inspect.js')).defineInspect },
  { name: 'metrics', summary: 'list every metric: id, unit, direction, needs, formula', args: '', options: true, load: async () => (await import('./commands/metrics.js')).defineMetrics },
  { name: 'config', summary: 'print the config JSON Schema, or validate a config file', args: '', options: false, load: async () => (await import('./commands/config.js')).defineConfigCommand },
];

/**
 * The command `argv` runs, or whose help it asks for (`cxm help report`): the first operand (the
 * program itself takes no option with a value), or the one after `help`. Null for none.
 */
export function commandOf(argv: readonly string[]): string | null {
  const operands = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const first = operands[0] ?? null;
  return first === 'help' ? (operands[1] ?? null) : first;
}

/** A registry entry as `cxm --help` lists it, without its module: never run (argv names it, then it is loaded). */
function listOnly(program: Command, entry: CommandEntry): Command {
  const command = program.command(entry.name).summary(entry.summary);
  if (entry.args) command.argument(entry.args);
  if (entry.options) command.addOption(new Option('--listed-only').hideHelp());
  return command;
}

/**
 * @param argv the process arguments: only the command they name is loaded.
 * @param loadAll load every command's module (tests compare the listing with the registry's).
 */
export async function buildProgram(argv: readonly string[], loadAll = false): Promise<Command> {
  const wanted = loadAll ? null : commandOf(argv);
  const program = new Command('cxm')
    .description(
      'Customer-experience metrics from the exports you already have: surveys (NPS, CSAT, CES), help-desk tickets, contact-centre calls, orders, returns, invoice changes, customers and social mentions, in CSV or JSON, English or Spanish.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.startsWith('error:') ? `cxm: ${text}` : text) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 a KPI check failed, 2 bad usage or config, 3 input unreadable or too many rejected rows, 4 internal error.

Examples:
  cxm report fixtures/demo/                  every metric the demo exports allow
  cxm report exports/ --period month --by channel
  cxm inspect fixtures/demo/                 what each file was read as, and every rejected row
  cxm inspect exports/ --format json         the same, as JSON
  cxm config schema > cxm.schema.json        the JSON Schema of cxm.config.json`,
    );
  for (const entry of COMMANDS) {
    const command = loadAll || entry.name === wanted ? (await entry.load())(program) : listOnly(program, entry);
    command.exitOverride();
  }
  return program;
}
