/**
 * The commander program: one registry of commands, each defined in its own file under
 * `commands/`. Command modules register options and help eagerly (cheap) and load their
 * implementation lazily, so `cxm --help` starts fast.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { defineAnomalies } from './commands/anomalies.js';
import { defineCheck } from './commands/check.js';
import { defineConfigCommand } from './commands/config.js';
import { defineDrivers } from './commands/drivers.js';
import { defineExport } from './commands/export.js';
import { defineInspect } from './commands/inspect.js';
import { defineMetrics } from './commands/metrics.js';
import { defineReport } from './commands/report.js';

const require = createRequire(import.meta.url);
const pkg = require('../../../package.json') as { version: string };

/** Every command, in the order `cxm --help` lists them. */
export const COMMANDS = [defineReport, defineDrivers, defineAnomalies, defineCheck, defineExport, defineInspect, defineMetrics, defineConfigCommand] as const;

export function buildProgram(): Command {
  const program = new Command('cxm')
    .description(
      'Customer-experience metrics from the exports you already have: surveys (NPS, CSAT, CES), help-desk tickets, contact-centre calls, orders, returns, invoice changes, customers and social mentions, in CSV or JSON, English or Spanish.',
    )
    .version(pkg.version, '-V, --version', 'print the version')
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
  for (const define of COMMANDS) {
    const command = define(program);
    command.exitOverride();
  }
  return program;
}
