/**
 * The options every command shares, validated once through zod: after `parseCommonOptions` the
 * types are trusted. Messages follow one wording: `invalid option --x: must be …, got "…"`.
 */
import { Option } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CxmError } from '../errors.js';
import type { Config } from '../schema/config.js';
import { RECORD_KINDS, type RecordKind } from '../schema/records.js';
import type { Delimiter, Encoding } from '../sources/types.js';

export const FORMATS = ['table', 'json', 'csv', 'md'] as const;
export const DATE_ORDERS = ['dmy', 'mdy', 'ymd'] as const;
export const ENCODINGS = ['utf-8', 'utf-8-bom', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;
const DELIMITER_NAMES: Record<string, Delimiter> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\\t': '\t', '\t': '\t', '|': '|', pipe: '|' };

/** commander options shared by every command that reads inputs. */
export function inputOptions(): Option[] {
  return [
    new Option('--config <file>', 'mapping and settings file (JSON or YAML); default: ./cxm.config.json or ./cxm.config.yaml when present'),
    new Option('--kind <kind>', 'read every input as this record kind instead of detecting it').choices(RECORD_KINDS),
    new Option('--encoding <name>', 'force the input encoding instead of sniffing it').choices(ENCODINGS),
    new Option('--delimiter <char>', 'force the CSV delimiter: , ; tab |'),
    new Option('--date-order <order>', 'how to read dates like 01/02/2025 when the values cannot tell: dmy or mdy').choices(DATE_ORDERS),
    new Option('--tz <zone>', 'time zone of local times and periods (IANA name); default: config, else UTC'),
    new Option('--sheet <name>', 'read only this sheet of each .xlsx workbook (name as on its tab, any case); default: every sheet'),
    new Option('--rejects <file>', 'write every rejected row (file, line, column, value, reason) to this CSV'),
    new Option('--max-reject-rate <share>', 'exit 3 when a file rejects more than this share of its rows (0-1)').default('0.05'),
    new Option('--strict', 'any rejected row fails the run (same as --max-reject-rate 0)'),
    new Option('--no-color', 'no colours in table output (NO_COLOR and FORCE_COLOR are honoured too)'),
    new Option('--debug', 'print stack traces of errors'),
  ];
}

// zod, yaml and the config schema load on first use, not at start-up: `cxm --help` stays fast.
const commonSchema = async () => {
  const { z } = await import('zod');
  return z.object({
    config: z.string().optional(),
    kind: z.enum(RECORD_KINDS).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    delimiter: z.string().optional(),
    dateOrder: z.enum(DATE_ORDERS).optional(),
    tz: z.string().optional(),
    sheet: z.string().optional(),
    rejects: z.string().optional(),
    maxRejectRate: z.string(),
    strict: z.boolean().optional(),
    color: z.boolean().optional(),
    debug: z.boolean().optional(),
  });
};

export interface CommonOptions {
  configPath: string | null;
  config: Config;
  kind: RecordKind | undefined;
  encoding: Encoding | undefined;
  delimiter: Delimiter | undefined;
  dateOrder: 'dmy' | 'mdy' | 'ymd' | undefined;
  timezone: string | undefined;
  /** `--sheet`: the one sheet to read of each workbook. */
  sheet: string | undefined;
  rejects: string | undefined;
  maxRejectRate: number;
  color: boolean | undefined;
  debug: boolean;
}

export function invalidOption(name: string, must: string, got: unknown): CxmError {
  return new CxmError('INVALID_OPTION', `invalid option ${name}: must be ${must}, got ${JSON.stringify(got)}`, {
    hint: `see \`cxm --help\` or \`cxm <command> --help\``,
  });
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function parseCommonOptions(raw: Record<string, unknown>, cwd: string): Promise<CommonOptions> {
  const parsed = (await commonSchema()).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidOption(`--${String(issue.path[0] ?? '')}`, issue.message, raw[String(issue.path[0] ?? '')]);
  }
  const o = parsed.data;
  let delimiter: Delimiter | undefined;
  if (o.delimiter !== undefined) {
    delimiter = DELIMITER_NAMES[o.delimiter.toLowerCase()] ?? DELIMITER_NAMES[o.delimiter];
    if (!delimiter) throw invalidOption('--delimiter', 'one of , ; tab |', o.delimiter);
  }
  const rate = Number(o.maxRejectRate);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1 || o.maxRejectRate.trim() === '') {
    throw invalidOption('--max-reject-rate', 'a share between 0 and 1 (0.05 = 5%)', o.maxRejectRate);
  }
  if (o.tz !== undefined && !isValidTimeZone(o.tz)) throw invalidOption('--tz', 'an IANA time zone such as Europe/Madrid or UTC', o.tz);
  if (o.sheet !== undefined && o.sheet.trim() === '') throw invalidOption('--sheet', 'a sheet name', o.sheet);
  const { config, configPath } = await loadConfig(o.config, cwd);
  const explicitRate = raw.maxRejectRate !== '0.05';
  return {
    configPath,
    config,
    kind: o.kind,
    encoding: o.encoding === 'latin1' ? 'windows-1252' : o.encoding,
    delimiter,
    dateOrder: o.dateOrder,
    timezone: o.tz,
    sheet: o.sheet,
    rejects: o.rejects,
    maxRejectRate: o.strict ? 0 : explicitRate ? rate : (config.maxRejectRate ?? rate),
    color: o.color,
    debug: Boolean(o.debug),
  };
}

/** Reads `--config`, or `cxm.config.json` / `.yaml` / `.yml` in the working directory when present. */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<{ config: Config; configPath: string | null }> {
  const candidates = explicit ? [explicit] : ['cxm.config.json', 'cxm.config.yaml', 'cxm.config.yml'];
  for (const candidate of candidates) {
    const file = path.resolve(cwd, candidate);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (explicit) {
        throw new CxmError('INVALID_CONFIG', `cannot read the config file ${explicit}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
          where: { file: explicit },
          hint: 'check the path given to --config (or to `cxm config check`)',
        });
      }
      continue;
    }
    let data: unknown;
    try {
      data = /\.ya?ml$/i.test(file) ? (await import('yaml')).parse(text) : JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new CxmError('INVALID_CONFIG', `${candidate}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`, {
        where: { file: candidate },
        hint: 'fix the syntax; `cxm config schema` prints the JSON Schema of the file',
      });
    }
    const { parseConfig } = await import('../schema/config.js');
    return { config: parseConfig(data ?? {}, candidate), configPath: candidate };
  }
  return { config: {}, configPath: null };
}
