/**
 * The process boundary: the only module that sets the exit code. Every error is mapped here,
 * once: a CxmError prints `cxm: <where><message>` and its hint, anything else is a bug (exit 4).
 */
import { EXIT, formatWhere, isCxmError } from '../errors.js';
import { sanitizeForTerminal } from '../report/text.js';
import { installProcessGuards, stderrLine } from './io.js';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  installProcessGuards();
  const debug = argv.includes('--debug');
  // The code runs from a bundle (dist/cxm, scripts/bundle.ts): with --debug, stack traces name
  // the TypeScript sources and their lines instead of the bundle's chunks.
  if (debug) process.setSourceMapsEnabled(true);
  if (argv[2] === 'report' || argv[2] === 'export' || argv[2] === 'check') await prestartEarly(argv);
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(error, debug);
  }
}

/**
 * A command that may read a large export on several threads starts its workers first, before its
 * own modules load (src/cli/threads.ts, workersToPrestart); any doubt starts none.
 */
async function prestartEarly(argv: string[]): Promise<void> {
  try {
    const [{ inputSizes, workersToPrestart }, { prestartWorkers }, { availableParallelism, loadavg }] = await Promise.all([
      import('./threads.js'),
      import('../analysis/worker-pool.js'),
      import('node:os'),
    ]);
    // Every argument that may be an input, sized once (a folder of exports is walked: the usual input).
    const sizes = new Map<string, readonly number[] | null>();
    for (const arg of argv.slice(3)) if (!arg.startsWith('-') && !sizes.has(arg)) sizes.set(arg, await inputSizes(arg));
    const count = workersToPrestart(argv, process.env, availableParallelism(), loadavg()[0]!, (arg) => sizes.get(arg) ?? null);
    if (count > 0) prestartWorkers(count);
  } catch {
    // an optimisation only: the command starts its workers itself when it needs them
  }
}

function reportError(error: unknown, debug: boolean): number {
  const commander = error as { code?: string; exitCode?: number };
  if (typeof commander.code === 'string' && commander.code.startsWith('commander.')) {
    // commander already printed its message; help and version are not errors, except help
    // shown in place of a missing or unknown command (`cxm`, `cxm config`, `cxm help bogus`:
    // exitCode 1, on stderr), which is bad usage.
    if (commander.code === 'commander.helpDisplayed' || commander.code === 'commander.version') return EXIT.ok;
    if (commander.code === 'commander.help') return commander.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return EXIT.usage;
  }
  if (isCxmError(error)) {
    // Messages that already name their place (sources write `file:line: …`) get no second prefix.
    const where = formatWhere(error.where);
    const placed = error.where.file !== undefined && error.message.includes(error.where.file);
    // File names, headers and values in messages come from the input: no escape sequence of
    // theirs reaches the terminal.
    stderrLine(sanitizeForTerminal(`cxm: ${placed ? '' : where}${error.message}`));
    if (error.hint) stderrLine(sanitizeForTerminal(`hint: ${error.hint}`));
    if (debug && error.stack) stderrLine(error.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderrLine(sanitizeForTerminal(`cxm: internal error: ${message}`));
  stderrLine('hint: this is a bug in cxm; please report it with the command line and, if you can, the input file (run again with --debug for details)');
  if (debug && error instanceof Error && error.stack) stderrLine(error.stack);
  return EXIT.internal;
}

const code = await main(process.argv);
process.exitCode = code;
