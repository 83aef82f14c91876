/**
 * KPI checks (`cxm check`): the threshold grammar of `--require "csat >= 80% by channel"`, the
 * config form (`{"metric": "csat", "min": "80%", "by": "channel"}`), and the evaluation of a check
 * against computed metric rows, with the noise-aware modes.
 *
 * Pure: no I/O, no clock. An expression is tokenised and parsed by hand, never evaluated as code;
 * a malformed one is a CxmError (exit 2) whose message prints the expression and a caret under the
 * offending column.
 *
 * Grammar (case-sensitive ids, keywords in lower case):
 *
 *     check     := target ["drop"] op threshold clause*
 *     target    := metric ["." field]            field: value mean median p90 n ci_low ci_high
 *     op        := ">=" | ">" | "<=" | "<"        a drop takes "<=" or "<" only
 *     threshold := a number (30, -5, 2.5), a share (0.8, 80%), a duration (90s, 4h, 2d, 1h30m),
 *                  as the metric's unit asks
 *     clause    := "by" name ("," name)*          name: letters, digits, _ and -, or "quoted"
 *                | "over" range                   last-week, last-30d, this-month, 2025-03-01,
 *                                                 2025-03-01..2025-04-01
 *                | "vs" "previous"                (drops only; the default)
 *                | "optional"                     a metric the data cannot compute is skipped
 */
import { CxmError } from '../errors.js';
import { METRICS } from '../metrics/registry.js';
import type { Direction, Unit } from '../metrics/types.js';
import { isInvalid, parseDurationExpression, parsePercentOrFraction } from '../schema/values.js';
import type { Change } from './compare.js';
import { PeriodCalendar, parseRangeValue, type PeriodUnit, type WeekStart } from './periods.js';

export const CHECK_MODES = ['point', 'confident'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];
export const CHECK_LEVELS = ['error', 'warn'] as const;
export type CheckLevel = (typeof CHECK_LEVELS)[number];
export const SMALL_SAMPLE_POLICIES = ['fail', 'warn', 'pass'] as const;
export type SmallSamplePolicy = (typeof SMALL_SAMPLE_POLICIES)[number];
export const CHECK_FIELDS = ['value', 'mean', 'median', 'p90', 'n', 'ci_low', 'ci_high'] as const;
export type CheckField = (typeof CHECK_FIELDS)[number];
export type CheckOp = '>=' | '>' | '<=' | '<';

/** A parsed check: one metric (or field), one bound. A config entry with min and max gives two. */
export interface Check {
  /** Canonical text, e.g. `csat >= 80% by channel`: the check's name in every output. */
  name: string;
  /** Where it came from: `--require #2`, `cxm.config.json checks[0]`. */
  origin: string;
  metric: string;
  field: CheckField;
  /** A maxDrop check: the worsening against the previous period, bounded above. */
  drop: boolean;
  op: CheckOp;
  /** In the raw units of `unit` (rates 0..1, seconds, NPS points). */
  threshold: number;
  /** The threshold as written (`80%`, `4h`). */
  thresholdText: string;
  /** The unit of the compared value: the metric's, `count` for `.n`, `score` for `csat.mean`. */
  unit: Unit;
  direction: Direction;
  by: string[];
  /** A range (`last-week`, `2025-03-01..2025-04-01`), or null for the command's --since/--until. */
  over: string | null;
  /** A drop's period unit when given explicitly (config `period`). */
  period: PeriodUnit | null;
  level: CheckLevel;
  optional: boolean;
  /** Overrides --mode for this check. */
  mode: CheckMode | null;
}

const EXPRESSION_HINT =
  'write metric[.field] [drop] (>= | > | <= | <) threshold [by field] [over range] [optional], e.g. "nps >= 30", "first_response_time.p90 <= 4h", "csat >= 80% by channel", "nps drop <= 5"';

// ---------------------------------------------------------------------------------------------
// Shared validation (inline expressions and config entries)

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function unknownMetric(id: string): string {
  const guess = closest(id, METRICS.map((m) => m.id));
  return `unknown metric "${id}"${guess ? ` (did you mean ${guess}?)` : ''}; \`cxm metrics\` lists every id`;
}

function unknownField(field: string): string {
  return `unknown field "${field}": expected one of ${CHECK_FIELDS.join(', ')}`;
}

/** The unit of a metric's field: `.n` counts, `.mean` of a rate (csat.mean) is the mean answer on its scale. */
export function fieldUnit(metricUnit: Unit, field: CheckField): Unit {
  if (field === 'n') return 'count';
  if ((field === 'mean' || field === 'median' || field === 'p90') && metricUnit === 'share') return 'score';
  return metricUnit;
}

const PLAIN_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/** A threshold written as text, in the unit the metric asks; the value or why not. */
export function parseThreshold(text: string, unit: Unit, metric: string): number | { reason: string } {
  const t = text.trim();
  if (unit === 'share') {
    const v = parsePercentOrFraction(t);
    if (typeof v === 'number') return v;
    return { reason: `${metric} is a rate: expected a fraction 0-1 (0.8) or a percentage (80%), got ${JSON.stringify(text)}` };
  }
  if (unit === 'seconds') {
    const v = parseDurationExpression(t);
    if (!isInvalid(v)) return v;
    return { reason: `${metric} is a duration: ${v.reason}` };
  }
  if (PLAIN_NUMBER.test(t)) return Number(t);
  if (t.endsWith('%') && PLAIN_NUMBER.test(t.slice(0, -1))) {
    const what = unit === 'points' ? 'NPS points (-100 to 100)' : `${unit === 'count' ? 'a count' : `${unit} units`}`;
    return { reason: `${metric} is in ${what}, not a percentage: write ${t.slice(0, -1)}, without %` };
  }
  return { reason: `expected a number such as 30 or -5, got ${JSON.stringify(text)}` };
}

/** Validates a range (`last-week`, `2025-03-01..2025-04-01`); the message, or null when fine. */
function rangeProblem(text: string): { offset: number; message: string } | null {
  const parts = text.split('..');
  if (parts.length > 2) return { offset: text.indexOf('..', text.indexOf('..') + 2), message: 'a range has one ".." at most' };
  let offset = 0;
  for (const part of parts) {
    if (part === '') return { offset, message: `expected a date or a relative range on both sides of ".."` };
    try {
      parseRangeValue(part, 0, 'UTC', 'monday', 'over');
    } catch {
      return { offset, message: `expected a date (2025-03-01) or a relative range (last-week, last-month, last-30d, this-month, ytd…), got ${JSON.stringify(part)}` };
    }
    offset += part.length + 2;
  }
  return null;
}

function shareText(v: number): string {
  return `${Number((v * 100).toPrecision(10))}%`;
}

function quoteName(name: string): string {
  return /^[\p{L}\p{N}_-]+$/u.test(name) ? name : JSON.stringify(name);
}

function canonicalName(c: Omit<Check, 'name' | 'origin'>): string {
  const target = `${c.metric}${c.field === 'value' ? '' : `.${c.field}`}${c.drop ? ' drop' : ''}`;
  const by = c.by.length ? ` by ${c.by.map(quoteName).join(',')}` : '';
  const over = c.over ? ` over ${c.over}` : '';
  return `${target} ${c.op} ${c.thresholdText}${by}${over}`;
}

// ---------------------------------------------------------------------------------------------
// Inline expressions

/** Shows an expression with a caret under `column` (control characters become spaces, so columns stay put). */
export function caretLines(text: string, column: number): string {
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return `  ${shown}\n  ${' '.repeat(Math.max(0, Math.min(column, shown.length)))}^`;
}

function expressionError(flag: string, text: string, column: number, message: string): CxmError {
  return new CxmError('INVALID_EXPRESSION', `invalid ${flag} expression at column ${column + 1}: ${message}\n${caretLines(text, column)}`, { hint: EXPRESSION_HINT });
}

const NAME_CHAR = /[\p{L}\p{N}_-]/u;
const ID_CHAR = /[A-Za-z0-9_]/;

/**
 * Parses one inline check.
 *
 * @example
 * parseCheckExpression('csat >= 80% by channel', { level: 'error', origin: '--require #1', flag: '--require' });
 * // { metric: 'csat', field: 'value', op: '>=', threshold: 0.8, by: ['channel'], … }
 */
export function parseCheckExpression(text: string, options: { level: CheckLevel; origin: string; flag?: string }): Check {
  const flag = options.flag ?? '--require';
  let pos = 0;
  const fail = (column: number, message: string): never => {
    throw expressionError(flag, text, column, message);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const readWhile = (re: RegExp): string => {
    const start = pos;
    while (pos < text.length && re.test(text[pos]!)) pos++;
    return text.slice(start, pos);
  };
  // A threshold or a range: `80%`, `-5`, `1h30m`, `PT4H`, `2025-03-01T09:00..2025-04-01`; stops at `;`, `,`, quotes.
  const readToken = (): string => readWhile(/[\p{L}\p{N}.%+:_-]/u);

  skipSpace();
  const metricAt = pos;
  const metric = readWhile(ID_CHAR);
  if (!metric) fail(pos, pos >= text.length ? 'expected a metric id such as nps or csat, got nothing' : `expected a metric id such as nps or csat, got "${text[pos]}"`);
  const definition = METRICS.find((m) => m.id === metric);
  if (!definition) fail(metricAt, unknownMetric(metric));
  let field: CheckField = 'value';
  if (text[pos] === '.') {
    pos++;
    const fieldAt = pos;
    const name = readWhile(ID_CHAR);
    if (!name) fail(pos, `expected a field after "." (${CHECK_FIELDS.join(', ')})`);
    if (!(CHECK_FIELDS as readonly string[]).includes(name)) fail(fieldAt, unknownField(name));
    field = name as CheckField;
  }
  skipSpace();
  let drop = false;
  const dropAt = pos;
  if (/^drop(?![A-Za-z0-9_])/.test(text.slice(pos))) {
    drop = true;
    pos += 4;
    if (field !== 'value') fail(dropAt, `a drop is checked on the metric's value, not on .${field}`);
    skipSpace();
  }
  const opAt = pos;
  const op = (/^(>=|<=|>|<)/.exec(text.slice(pos))?.[1] ?? null) as CheckOp | null;
  if (!op) {
    const got = /^(=>|=<|==|=|!=|≥|≤)/.exec(text.slice(pos))?.[1];
    fail(pos, got ? `"${got}" is not a comparison: use >=, >, <= or <` : `expected a comparison (>=, >, <= or <)${pos >= text.length ? ', got nothing' : `, got "${readToken()}"`}`);
  }
  pos += op!.length;
  if (drop && (op === '>=' || op === '>')) fail(opAt, 'a drop takes <= or <: the largest drop allowed');
  skipSpace();
  const thresholdAt = pos;
  const thresholdText = readToken();
  const gotHere = () => (pos >= text.length ? 'got nothing' : `got "${text[pos]}"`);
  if (!thresholdText) fail(pos, `expected a threshold such as 30, 80% or 4h, ${gotHere()}`);
  const unit = fieldUnit(definition!.unit, field);
  const threshold = parseThreshold(thresholdText, unit, field === 'value' ? metric : `${metric}.${field}`);
  if (typeof threshold !== 'number') fail(thresholdAt, threshold.reason);

  let by: string[] | null = null;
  let over: string | null = null;
  let vs = false;
  let optional = false;
  for (;;) {
    skipSpace();
    if (pos >= text.length) break;
    const wordAt = pos;
    const word = readWhile(ID_CHAR);
    if (!word) fail(pos, `unexpected "${text[pos]}": expected by, over, vs previous or optional`);
    if (word === 'by') {
      if (by) fail(wordAt, '"by" given twice: list the fields once, separated by commas (by channel,priority)');
      by = [];
      for (;;) {
        skipSpace();
        const nameAt = pos;
        let name: string;
        if (text[pos] === '"') {
          const close = text.indexOf('"', pos + 1);
          if (close < 0) fail(nameAt, 'unclosed quote');
          name = text.slice(pos + 1, close);
          pos = close + 1;
          if (!name.trim()) fail(nameAt, 'empty field name');
        } else {
          name = readWhile(NAME_CHAR);
          if (!name) fail(nameAt, 'expected a field name after "by" (channel, segment, priority, any column)');
        }
        by.push(name);
        skipSpace();
        if (text[pos] !== ',') break;
        pos++;
      }
    } else if (word === 'over') {
      if (over !== null) fail(wordAt, '"over" given twice');
      skipSpace();
      const rangeAt = pos;
      const range = readToken();
      if (!range) fail(pos, `expected a range after "over" (last-week, last-30d, 2025-03-01..2025-04-01), ${gotHere()}`);
      const problem = rangeProblem(range);
      if (problem) fail(rangeAt + problem.offset, problem.message);
      over = range;
    } else if (word === 'vs') {
      if (!drop) fail(wordAt, '"vs previous" goes with a drop: nps drop <= 5 vs previous');
      skipSpace();
      const whatAt = pos;
      const what = readWhile(ID_CHAR);
      if (what !== 'previous') fail(whatAt, `expected "previous" after "vs"${what ? `, got "${what}"` : ''}`);
      if (vs) fail(wordAt, '"vs" given twice');
      vs = true;
    } else if (word === 'optional') {
      optional = true;
    } else {
      const guess = closest(word, ['by', 'over', 'vs', 'optional']);
      fail(wordAt, `unexpected "${word}": expected by, over, vs previous or optional${guess ? ` (did you mean ${guess}?)` : ''}`);
    }
  }
  const check: Omit<Check, 'name' | 'origin'> = {
    metric,
    field,
    drop,
    op: op!,
    threshold: threshold as number,
    thresholdText,
    unit,
    direction: definition!.direction,
    by: by ?? [],
    over,
    period: null,
    level: options.level,
    optional,
    mode: null,
  };
  return { name: canonicalName(check), origin: options.origin, ...check };
}

// ---------------------------------------------------------------------------------------------
// Config entries

/** The `checks` entries of the config, as validated for shape by src/schema/config.ts. */
export interface CheckConfigEntry {
  metric: string;
  min?: number | string | undefined;
  max?: number | string | undefined;
  maxDrop?: number | string | undefined;
  vs?: 'previous' | undefined;
  period?: PeriodUnit | undefined;
  by?: string | string[] | undefined;
  over?: string | undefined;
  level?: CheckLevel | undefined;
  optional?: boolean | undefined;
  mode?: CheckMode | undefined;
}

function configError(source: string, path: string, message: string): CxmError {
  return new CxmError('INVALID_CONFIG', `${source}: invalid configuration:\n  ${path}: ${message}`, {
    where: { file: source },
    hint: 'thresholds are numbers in raw units (0.8 for a rate, seconds for a duration) or strings with their unit ("80%", "4h"); `cxm metrics` lists the metric ids',
  });
}

/**
 * The checks of the config's `checks` section; an entry with min, max and maxDrop gives three.
 * Errors name the key (`checks[1].min`).
 */
export function checksFromConfig(entries: readonly CheckConfigEntry[], source: string): Check[] {
  const out: Check[] = [];
  entries.forEach((entry, i) => {
    const at = (key: string) => `checks[${i}].${key}`;
    const [metric, fieldName, ...rest] = entry.metric.trim().split('.');
    const definition = METRICS.find((m) => m.id === metric);
    if (!definition) throw configError(source, at('metric'), unknownMetric(metric ?? ''));
    if (rest.length) throw configError(source, at('metric'), `expected "metric" or "metric.field", got ${JSON.stringify(entry.metric)}`);
    const field = (fieldName ?? 'value') as CheckField;
    if (!(CHECK_FIELDS as readonly string[]).includes(field)) throw configError(source, at('metric'), unknownField(field));
    if (entry.vs !== undefined && entry.maxDrop === undefined) throw configError(source, at('vs'), '"vs" goes with maxDrop');
    if (entry.period !== undefined && entry.maxDrop === undefined) throw configError(source, at('period'), '"period" goes with maxDrop');
    if (entry.maxDrop !== undefined && field !== 'value') throw configError(source, at('maxDrop'), `a drop is checked on the metric's value, not on .${field}`);
    if (entry.over !== undefined) {
      const problem = rangeProblem(entry.over.trim());
      if (problem) throw configError(source, at('over'), problem.message);
    }
    const by = entry.by === undefined ? [] : Array.isArray(entry.by) ? entry.by : [entry.by];
    const unit = fieldUnit(definition.unit, field);
    const label = field === 'value' ? metric! : `${metric}.${field}`;
    const bounds: [key: 'min' | 'max' | 'maxDrop', op: CheckOp][] = [
      ['min', '>='],
      ['max', '<='],
      ['maxDrop', '<='],
    ];
    for (const [key, op] of bounds) {
      const raw = entry[key];
      if (raw === undefined) continue;
      let threshold: number;
      let thresholdText: string;
      if (typeof raw === 'number') {
        if (!Number.isFinite(raw)) throw configError(source, at(key), `expected a finite number, got ${raw}`);
        if (unit === 'share' && (raw < -1 || raw > 1)) {
          throw configError(source, at(key), `${label} is a rate: expected a fraction 0-1 (${raw / 100}) or a percentage string ("${raw}%"), got ${raw}`);
        }
        threshold = raw;
        thresholdText = unit === 'share' ? shareText(raw) : unit === 'seconds' ? `${raw}s` : String(raw);
      } else {
        const parsed = parseThreshold(raw, unit, label);
        if (typeof parsed !== 'number') throw configError(source, at(key), parsed.reason);
        threshold = parsed;
        thresholdText = raw.trim();
      }
      const check: Omit<Check, 'name' | 'origin'> = {
        metric: metric!,
        field,
        drop: key === 'maxDrop',
        op,
        threshold,
        thresholdText,
        unit,
        direction: definition.direction,
        by,
        over: entry.over?.trim() ?? null,
        period: entry.period ?? null,
        level: entry.level ?? 'error',
        optional: entry.optional ?? false,
        mode: entry.mode ?? null,
      };
      out.push({ name: canonicalName(check), origin: `${source} checks[${i}]`, ...check });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Planning: which metric runs the checks need

/** The period unit a range names: last-week -> week, last-30d -> day, 2025-03-01 -> null. */
export function rangeUnit(over: string): PeriodUnit | null {
  const first = over.split('..')[0]!.trim().toLowerCase();
  const named = /^(?:this|last|previous|prev)-(day|week|month|quarter|year)$/.exec(first);
  if (named) return named[1] as PeriodUnit;
  if (first === 'today' || first === 'yesterday') return 'day';
  const lastN = /^last-\d{1,4}(d|w|m|y)$/.exec(first);
  if (lastN) return ({ d: 'day', w: 'week', m: 'month', y: 'year' } as const)[lastN[1] as 'd' | 'w' | 'm' | 'y'];
  return null;
}

/** A drop's period: the check's own, else the unit its `over` names, else --period, else week. */
export function dropPeriod(check: Check, defaultPeriod: PeriodUnit | null): PeriodUnit {
  return check.period ?? (check.over ? rangeUnit(check.over) : null) ?? defaultPeriod ?? 'week';
}

/** One computation of the metrics: a segmentation, a window and (for drops) a period. */
export interface CheckRun {
  by: string[];
  over: string | null;
  period: PeriodUnit | null;
  /** Indexes into the checks list. */
  checks: number[];
}

/** Groups checks that read the same computation, in the order they first appear. */
export function planCheckRuns(checks: readonly Check[], defaultPeriod: PeriodUnit | null): CheckRun[] {
  const runs = new Map<string, CheckRun>();
  checks.forEach((check, i) => {
    const period = check.drop ? dropPeriod(check, defaultPeriod) : null;
    const key = JSON.stringify([check.by, check.over, period]);
    let run = runs.get(key);
    if (!run) runs.set(key, (run = { by: check.by, over: check.over, period, checks: [] }));
    run.checks.push(i);
  });
  return [...runs.values()];
}

/**
 * The [since, until) of a run in epoch ms (null: open). `over` replaces the command's
 * --since/--until; `last-week` alone means that whole week. A drop run starts one period earlier,
 * so the first period of the window has a previous one to compare with.
 */
export function runWindow(
  run: Pick<CheckRun, 'over' | 'period'>,
  base: { since: number | null; until: number | null },
  clock: { now: number; zone: string; weekStart: WeekStart },
): { since: number | null; until: number | null } {
  let { since, until } = base;
  if (run.over) {
    const [from, to] = run.over.split('..');
    const start = parseRangeValue(from!.trim(), clock.now, clock.zone, clock.weekStart, 'over');
    since = start.at;
    until = to !== undefined ? parseRangeValue(to.trim(), clock.now, clock.zone, clock.weekStart, 'over').at : start.periodEnd;
  }
  if (run.period && since !== null) {
    const calendar = new PeriodCalendar(run.period, clock.zone, clock.weekStart);
    since = calendar.periodOf(calendar.periodOf(since).start - 1).start;
  }
  return { since, until };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What a check reads of a computed metric row; the report model's MetricEntry extends it. */
export interface CheckEntry {
  id: string;
  unit: Unit;
  direction: Direction;
  value: number | null;
  n: number;
  ci95: [number, number] | null;
  period: string | null;
  period_start: string | null;
  period_end: string | null;
  segment: Record<string, string> | null;
  /** Fewer answers than the minimum sample: shown, flagged, dimmed. */
  small_sample: boolean;
  /** Against the previous period of the same metric and segment. */
  change: Change | null;
  detail: Record<string, unknown>;
}

export interface CheckData {
  entries: readonly CheckEntry[];
  unavailable: readonly { id: string; reason: string }[];
  minSample: number;
  /** The analysed window [start, end) as local date-times, for the output. */
  window: [string, string] | null;
}

export interface EvaluateOptions {
  mode: CheckMode;
  onSmallSample: SmallSamplePolicy;
}

export type CheckStatus = 'passed' | 'failed' | 'warned' | 'skipped';
/** What settled the verdict: the value, its 95% CI, the significance test of a drop, the sample size, or the data. */
export type DecidedBy = 'point' | 'confident' | 'significance' | 'small-sample' | 'unavailable';

export interface CheckResult {
  check: string;
  origin: string;
  metric: string;
  field: CheckField;
  kind: 'threshold' | 'drop';
  level: CheckLevel;
  segment: Record<string, string> | null;
  /** A drop: the period compared with the one before it. */
  period: string | null;
  previous_period: string | null;
  status: CheckStatus;
  /** What was compared with the threshold, raw units of `unit` (a drop: the worsening, positive = worse). */
  value: number | null;
  ci95: [number, number] | null;
  n: number | null;
  unit: Unit;
  op: CheckOp;
  threshold: number;
  threshold_text: string;
  /** The mode asked for (--mode or the check's own). */
  mode: CheckMode;
  decided_by: DecidedBy;
  small_sample: boolean;
  /** A drop's significance test (adjusted-wald, newcombe, welch) and its p-value. */
  test: string | null;
  p: number | null;
  window: [string, string] | null;
  reason: string;
}

export interface CheckReport {
  success: boolean;
  statistics: { evaluated: number; passed: number; failed: number; warned: number; skipped: number };
  settings: { mode: CheckMode; on_small_sample: SmallSamplePolicy; timezone: string; min_sample: number };
  results: CheckResult[];
}

type FieldRead = { value: number; ci: [number, number] | null } | { missing: string };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A field of a metric row. `.mean`, `.median`, `.p90` read the detail; where the value itself is
 * that statistic (DESIGN.md: durations carry value = median and detail mean, p90; scores and
 * ratios are means) the value is read, with its CI.
 */
export function readField(entry: CheckEntry, field: CheckField): FieldRead {
  const withCi = { value: entry.value!, ci: entry.ci95 };
  switch (field) {
    case 'value':
      return withCi;
    case 'n':
      return { value: entry.n, ci: null };
    case 'ci_low':
    case 'ci_high':
      return entry.ci95 ? { value: entry.ci95[field === 'ci_low' ? 0 : 1], ci: null } : { missing: `${entry.id} has no confidence interval` };
  }
  const own = entry.detail[field];
  if (finite(own)) return { value: own, ci: null };
  if (field === 'median' && entry.unit === 'seconds' && 'mean' in entry.detail) return withCi;
  if (field === 'mean' && ((entry.unit === 'seconds' && 'median' in entry.detail) || entry.unit === 'score' || entry.unit === 'ratio')) return withCi;
  const fields = Object.keys(entry.detail).filter((k) => (CHECK_FIELDS as readonly string[]).includes(k) && finite(entry.detail[k]));
  return { missing: `${entry.id} has no ${field}${fields.length ? ` (it has ${fields.join(', ')})` : ''}` };
}

const failStatus = (level: CheckLevel): CheckStatus => (level === 'error' ? 'failed' : 'warned');

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${Number(p.toPrecision(2))}`;
}

function segmentKey(segment: Record<string, string> | null): string {
  return segment === null ? '' : JSON.stringify(segment);
}

/** Evaluates one check: one result per segment (or one for the whole data). */
export function evaluateCheck(check: Check, data: CheckData, options: EvaluateOptions): CheckResult[] {
  const mode = check.mode ?? options.mode;
  const base = (): CheckResult => ({
    check: check.name,
    origin: check.origin,
    metric: check.metric,
    field: check.field,
    kind: check.drop ? 'drop' : 'threshold',
    level: check.level,
    segment: null,
    period: null,
    previous_period: null,
    status: 'passed',
    value: null,
    ci95: null,
    n: null,
    unit: check.unit,
    op: check.op,
    threshold: check.threshold,
    threshold_text: check.thresholdText,
    mode,
    decided_by: 'point',
    small_sample: false,
    test: null,
    p: null,
    window: data.window,
    reason: '',
  });
  const cannot = (result: CheckResult, reason: string): CheckResult => ({
    ...result,
    status: check.optional ? 'skipped' : failStatus(check.level),
    decided_by: 'unavailable',
    reason: check.optional ? `${reason} (optional: skipped)` : reason,
  });

  const unavailable = data.unavailable.find((u) => u.id === check.metric);
  if (unavailable) return [cannot(base(), unavailable.reason)];
  const entries = data.entries.filter((e) => e.id === check.metric);
  if (entries.length === 0) return [cannot(base(), `${check.metric} was not computed`)];
  const segmented = check.by.length > 0;
  const inScope = (e: CheckEntry) => (segmented ? e.segment !== null : e.segment === null);

  // The small-sample policy, applied after the value has been judged (so the note can say what it would have been).
  const applySmall = (result: CheckResult, breach: boolean, what: string): CheckResult => {
    if (!result.small_sample || check.field === 'n' || options.onSmallSample === 'pass') return result;
    const note = `small sample: ${what} (fewer than ${data.minSample}); on its value it would ${breach ? 'breach' : 'pass'}`;
    return {
      ...result,
      status: options.onSmallSample === 'fail' ? failStatus(check.level) : 'warned',
      decided_by: 'small-sample',
      reason: `${note} (--on-small-sample ${options.onSmallSample})`,
    };
  };

  if (!check.drop) {
    const rows = entries.filter((e) => e.period === null && inScope(e));
    if (rows.length === 0) return [cannot(base(), segmented ? `no ${check.metric} data in any segment of ${check.by.join(', ')}` : `no ${check.metric} data in the window`)];
    return rows.map((row) => {
      const result: CheckResult = { ...base(), segment: row.segment, n: row.n, small_sample: row.small_sample };
      // A segment with records but no answers for this metric (survey rows without a CSAT score) has nothing to judge.
      if (row.value === null && row.segment) return { ...result, status: 'skipped', decided_by: 'unavailable', reason: `no ${check.metric} data in this segment` };
      if (row.value === null) return cannot(result, `no ${check.metric} data in the window`);
      const read = readField(row, check.field);
      if ('missing' in read) return cannot(result, read.missing);
      result.value = read.value;
      result.ci95 = read.ci;
      const t = check.threshold;
      const v = read.value;
      const isMin = check.op === '>=' || check.op === '>';
      const pointBreach = check.op === '>=' ? v < t : check.op === '>' ? v <= t : check.op === '<=' ? v > t : v >= t;
      const side = isMin ? 'below the minimum' : 'above the maximum';
      let breach = pointBreach;
      if (mode === 'confident' && read.ci) {
        const [lo, hi] = read.ci;
        breach = check.op === '>=' ? hi < t : check.op === '>' ? hi <= t : check.op === '<=' ? lo > t : lo >= t;
        result.decided_by = 'confident';
        result.reason = breach
          ? `the whole 95% CI is ${side}`
          : pointBreach
            ? `${side}, but the 95% CI reaches the threshold: not conclusive`
            : isMin
              ? 'meets the minimum'
              : 'within the maximum';
      } else {
        result.decided_by = 'point';
        result.reason = `${breach ? side : isMin ? 'meets the minimum' : 'within the maximum'}${mode === 'confident' ? ` (no confidence interval for ${check.field === 'value' ? check.metric : `${check.metric}.${check.field}`}: judged on the value)` : ''}`;
      }
      result.status = breach ? failStatus(check.level) : 'passed';
      return applySmall(result, breach, `n = ${row.n}`);
    });
  }

  // A drop: the latest period of the window against the one before it.
  const periodRows = entries.filter((e) => e.period !== null && inScope(e));
  const latestStart = periodRows.reduce<string | null>((max, e) => (max === null || e.period_start! > max ? e.period_start : max), null);
  if (latestStart === null) return [cannot(base(), `no period of ${check.metric} to compare`)];
  const latest = periodRows.filter((e) => e.period_start === latestStart);
  const rows = segmented ? latest.filter((e) => e.value !== null) : latest;
  if (rows.length === 0) return [cannot({ ...base(), period: latest[0]?.period ?? null }, `no ${check.metric} data in ${latest[0]?.period ?? 'the latest period'}`)];
  return rows.map((row) => {
    const previous = periodRows.find((e) => e.period_end === row.period_start && segmentKey(e.segment) === segmentKey(row.segment)) ?? null;
    const result: CheckResult = {
      ...base(),
      segment: row.segment,
      period: row.period,
      previous_period: previous?.period ?? null,
      n: row.n,
      small_sample: row.small_sample || Boolean(previous?.small_sample),
    };
    if (row.value === null) return cannot(result, `no ${check.metric} data in ${row.period}`);
    const change = row.change;
    if (!change) return cannot(result, `no previous ${previous?.period ?? 'period'} data to compare ${row.period} with`);
    const worse = row.direction === 'lower' ? change.difference : -change.difference;
    result.value = worse;
    result.ci95 = change.ci95 ? (row.direction === 'lower' ? change.ci95 : [-change.ci95[1], -change.ci95[0]]) : null;
    const pointBreach = check.op === '<=' ? worse > check.threshold : worse >= check.threshold;
    const what = `${row.direction === 'lower' ? 'rose' : 'fell'} from ${previous?.period} to ${row.period}`;
    let breach = pointBreach;
    if (mode === 'confident' && change.significant !== null) {
      breach = pointBreach && change.significant;
      result.decided_by = 'significance';
      result.test = change.test;
      result.p = change.p;
      const p = change.p === null ? '' : `${pText(change.p)}, ${change.test} test`;
      result.reason = breach
        ? `${what} by more than allowed, significantly (${p})`
        : pointBreach
          ? `${what} by more than allowed, but not significantly (${p}): noise cannot be ruled out`
          : `the change from ${previous?.period} to ${row.period} is within the allowed drop`;
    } else {
      result.decided_by = 'point';
      result.test = change.test === 'none' ? null : change.test;
      result.p = change.p;
      result.reason = `${pointBreach ? `${what} by more than allowed` : `the change from ${previous?.period} to ${row.period} is within the allowed drop`}${mode === 'confident' ? ` (no significance test for ${row.unit} metrics: judged on the value)` : ''}`;
    }
    result.status = breach ? failStatus(check.level) : 'passed';
    const sizes = previous?.small_sample && !row.small_sample ? `n = ${previous.n} in ${previous.period}` : `n = ${row.n} in ${row.period}`;
    return applySmall(result, breach, sizes);
  });
}

/** The JSON document of `cxm check --format json`, and what every renderer reads. */
export function summarizeChecks(results: CheckResult[], settings: CheckReport['settings']): CheckReport {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  const statistics = { evaluated: results.length, passed: count('passed'), failed: count('failed'), warned: count('warned'), skipped: count('skipped') };
  return { success: statistics.failed === 0, statistics, settings, results };
}

