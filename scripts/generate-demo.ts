/**
 * Writes the Verdemar demo exports (see fixtures/demo/README.md).
 *
 *   node dist/scripts/generate-demo.js [--out DIR] [--customers N] [--seed S]
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CUSTOMERS, DEFAULT_OUT, DEFAULT_SEED, SIZE_LIMIT_BYTES } from './demo/model.js';
import { generateDemo, type GenerateResult } from './demo/index.js';

export { generateDemo } from './demo/index.js';
export type { GenerateOptions, GenerateResult, Measured } from './demo/index.js';

const USAGE = `usage: generate-demo [--out DIR] [--customers N] [--seed S]

  --out DIR        where to write the files (default ${DEFAULT_OUT})
  --customers N    number of customers (default ${DEFAULT_CUSTOMERS})
  --seed S         random seed (default ${DEFAULT_SEED}); the same seed gives the same bytes
`;

interface Args {
  outDir: string;
  customers: number;
  seed: string;
}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const args: Args = { outDir: DEFAULT_OUT, customers: DEFAULT_CUSTOMERS, seed: String(DEFAULT_SEED) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--out':
        args.outDir = value();
        break;
      case '--customers': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new Error(`--customers must be a whole number (got ${v})`);
        args.customers = Number(v);
        break;
      }
      case '--seed':
        args.seed = value();
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return args;
}

function main(): number {
  let args: Args | 'help';
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`generate-demo: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const started = Date.now();
  let result: GenerateResult;
  try {
    result = generateDemo({ outDir: args.outDir, customers: args.customers, seed: args.seed });
  } catch (err) {
    process.stderr.write(`generate-demo: ${(err as Error).message}\n`);
    return 2;
  }
  const width = Math.max(...result.files.map((f) => f.name.length));
  for (const f of result.files) {
    process.stdout.write(`${f.name.padEnd(width)}  ${String(f.rows).padStart(9)} rows  ${(f.bytes / 1024).toFixed(0).padStart(8)} KB\n`);
  }
  const m = result.measured;
  process.stdout.write(
    `total ${(result.totalBytes / 1024 / 1024).toFixed(2)} MB in ${result.outDir} (${((Date.now() - started) / 1000).toFixed(1)} s)\n` +
      `planted: NPS return ${m.npsReturn.difference.toFixed(1)} pts, NPS failed install ${m.npsFailedInstall.difference.toFixed(1)} pts, ` +
      `CSAT invoice ${(100 * m.csatInvoice.difference).toFixed(1)} pp, CSAT late ${(100 * m.csatLate.difference).toFixed(1)} pp, ` +
      `churn after reopen ${m.churnReopen.ratio.toFixed(2)}x\n`,
  );
  if (args.customers === DEFAULT_CUSTOMERS && result.totalBytes > SIZE_LIMIT_BYTES) {
    process.stderr.write(`generate-demo: the default set is ${result.totalBytes} bytes, over the ${SIZE_LIMIT_BYTES} limit\n`);
    return 1;
  }
  return 0;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) process.exitCode = main();
