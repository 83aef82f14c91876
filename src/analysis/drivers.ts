/**
 * `cxm drivers`: which operational events go with lower NPS, CSAT or CES or with churn, how
 * strongly and how sure. Each outcome (a survey answer, or a customer's churn) is compared between
 * the outcomes whose customer had an exposure (a return, a complaint, a late delivery…; see
 * exposures.ts) within the window before it and those whose customer had not.
 *
 * - Outcomes: each NPS, CSAT or CES answer with a customer (its own, or through its order or
 *   ticket) and an instant; or each customer for churn, placed at its churn date, or at the end of
 *   the data for customers who stayed (so a stayer's exposures are those of the last window of the
 *   data). Customers lost before a whole window of data lies behind them are left out: they would
 *   look unexposed for lack of data, and only churners can be cut short that way.
 * - Exposed: at least one event in [t − window, t], both ends included; events after the outcome
 *   never count. Linking is by customer id through a per-customer sorted index (binary search).
 * - Statistics per exposure: the outcome among exposed and unexposed, the difference with a 95%
 *   interval and a p-value (NPS: two-sample adjusted-Wald, Rocks 2016; shares: Newcombe's hybrid
 *   score interval with the pooled z-test; CES: Welch), the risk ratio for churn (Katz), and the
 *   impact = prevalence × difference = (n_exposed / n)·(exposed − unexposed), which is exactly
 *   overall − unexposed: how far the exposure moves the overall figure.
 * - Exposures with fewer than `minGroup` outcomes in either group are shown but not ranked and get
 *   no q-value; the ranked ones get Benjamini-Hochberg q-values (FDR over the exposures tested).
 * - `control`: a confounder (segment, channel…) to stratify by; the Mantel-Haenszel-weighted
 *   difference is reported next to the crude one.
 *
 * These are associations, not proof of causation.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import { customerChurned } from '../metrics/customers.js';
import {
  MeanVar,
  benjaminiHochberg,
  mantelHaenszelMeanDifference,
  mantelHaenszelNpsDifference,
  mantelHaenszelRiskDifference,
  newcombeDifference,
  npsDifference,
  relativeRisk,
  welch,
  type Comparison,
} from '../metrics/stats/index.js';
import type { MetricSettings, Unit } from '../metrics/types.js';
import { TIME_FIELD, type CustomerRecord, type RecordKind, type SurveyRecord } from '../schema/records.js';
import { NO_SEGMENT_VALUE, segmentReader } from './engine.js';
import { CustomerResolver, EXPOSURE_DEFAULTS, anyWithin, compareCodeUnits, deriveExposures, type DerivedExposures, type Exposure } from './exposures.js';
import { formatLocalDate } from './periods.js';
import { THEME_DEFAULTS, commentThemes, themeImpacts, type ScoredAnswer, type ThemeDocument, type ThemeImpact, type ThemeTerm } from './themes.js';

const DAY_MS = 86_400_000;

export const OUTCOMES = ['nps', 'csat', 'ces', 'churn'] as const;
export type OutcomeKind = (typeof OUTCOMES)[number];

/** Kinds whose time field is when a state began, not an event: they do not set the end of the data. */
const STATE_KINDS: ReadonlySet<RecordKind> = new Set(['customer', 'deal']);

/** One outcome to explain. */
export interface Outcome {
  customerId: string;
  /** The instant the window ends at (answer time; churn date or end of data). */
  at: number;
  /** NPS: +100 promoter, 0 passive, −100 detractor (the mean is the NPS); CSAT, churn: 1 or 0; CES: the score. */
  y: number;
  record: SurveyRecord | CustomerRecord;
}

export interface CollectedOutcomes {
  outcomes: Outcome[];
  excluded: Record<string, number>;
  /** Churn: the instant stayers are placed at. */
  end: number | null;
}

interface OutcomeSpec {
  label: string;
  unit: Unit;
  groups: [string, string];
  method: string;
}

const OUTCOME_SPECS: Record<OutcomeKind, OutcomeSpec> = {
  nps: {
    label: 'Net Promoter Score',
    unit: 'points',
    groups: ['detractors', 'promoters'],
    method: 'difference of NPS in points; 95% CI two-sample adjusted-Wald (Rocks 2016), p from the same z',
  },
  csat: {
    label: 'CSAT (share satisfied)',
    unit: 'share',
    groups: ['dissatisfied', 'satisfied'],
    method: 'difference of the shares satisfied; 95% CI Newcombe hybrid score (1998), p pooled two-proportion z-test',
  },
  ces: {
    label: 'Customer Effort Score (mean)',
    unit: 'score',
    groups: ['high effort', 'low effort'],
    method: "difference of mean scores; 95% CI and p Welch's t-test",
  },
  churn: {
    label: 'Churn (share of customers lost)',
    unit: 'share',
    groups: ['churned', 'stayed'],
    method: 'difference of the shares churned; 95% CI Newcombe hybrid score (1998), p pooled two-proportion z-test; risk ratio with the Katz log interval',
  },
};

export const IMPACT_FORMULA = 'impact = n_exposed / n × (exposed − unexposed) = overall − unexposed: how far the exposure moves the overall figure, in its unit';
export const CAUSATION_NOTE =
  'Association, not proof of causation: an exposure may be a symptom of the same underlying problem, or the exposed may differ in other ways (try --control segment).';

// ---------------------------------------------------------------------------------------
// outcomes

/** The last instant of activity in the data (answers, tickets, calls, orders…; not customers' signup dates). */
export function dataEnd(dataset: Dataset): number | null {
  let max = -Infinity;
  for (const kind of dataset.kinds()) {
    if (STATE_KINDS.has(kind)) continue;
    const field = TIME_FIELD[kind];
    for (const record of dataset.records(kind)) {
      const t = (record as unknown as Record<string, unknown>)[field];
      if (typeof t === 'number' && t > max) max = t;
    }
  }
  return Number.isFinite(max) ? max : null;
}

function dataStart(dataset: Dataset): number | null {
  let min = Infinity;
  for (const kind of dataset.kinds()) {
    if (STATE_KINDS.has(kind)) continue;
    const field = TIME_FIELD[kind];
    for (const record of dataset.records(kind)) {
      const t = (record as unknown as Record<string, unknown>)[field];
      if (typeof t === 'number' && t < min) min = t;
    }
  }
  return Number.isFinite(min) ? min : null;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * The outcomes of one kind, in input order. Survey answers need a customer (their own, or through
 * their order or ticket) and an instant; `since`/`until` keep answers in [since, until). Churn: every
 * customer with a known churn state; churned ones at the churn date, the rest (and customers lost
 * at or after `until`) at the end of the data (`until` when given); customers lost before the data
 * starts (or before `since`), or before a whole window (`windowMs`) of data lies behind them, are
 * left out.
 */
export function collectOutcomes(
  dataset: Dataset,
  kind: OutcomeKind,
  settings: MetricSettings,
  range: { since: number | null; until: number | null; windowMs?: number } = { since: null, until: null },
  resolver: CustomerResolver = new CustomerResolver(dataset),
): CollectedOutcomes {
  const outcomes: Outcome[] = [];
  const excluded: Record<string, number> = {};
  if (kind === 'churn') {
    const lastActivity = dataEnd(dataset);
    const end = range.until ?? (lastActivity === null ? null : lastActivity + 1);
    const start = range.since ?? dataStart(dataset);
    // With churn dates in the file a blank one means still a customer (as in the churn_rate metric).
    const dated = dataset.records('customer').some((c) => c.churnedAt !== undefined);
    for (const c of dataset.records('customer')) {
      if (c.id === undefined) {
        bump(excluded, 'no customer id');
        continue;
      }
      const churned = customerChurned(c) ?? (dated ? false : undefined);
      if (churned === undefined) {
        bump(excluded, 'churn state unknown');
        continue;
      }
      if (end === null) {
        bump(excluded, 'no instant');
        continue;
      }
      const lost = churned && (c.churnedAt === undefined || c.churnedAt < end);
      if (lost && c.churnedAt !== undefined && start !== null && c.churnedAt < start) {
        bump(excluded, 'lost before the analysed range');
        continue;
      }
      // A customer lost before a whole window of data could be seen would look unexposed for lack
      // of data, not of events: churners only, so the bias would not be even between the groups.
      if (lost && c.churnedAt !== undefined && start !== null && c.churnedAt - (range.windowMs ?? 0) < start) {
        bump(excluded, 'lost before a whole window of data');
        continue;
      }
      if (c.since !== undefined && c.since >= end) {
        bump(excluded, 'customer since after the analysed range');
        continue;
      }
      // A churn flag without a date cannot be placed: such customers are placed at the end, like stayers.
      outcomes.push({ customerId: c.id, at: lost && c.churnedAt !== undefined ? c.churnedAt : end, y: lost ? 1 : 0, record: c });
    }
    return { outcomes, excluded, end };
  }
  for (const s of dataset.records('survey')) {
    const score = s[kind];
    if (score === undefined || !Number.isFinite(score)) continue;
    if (s.submittedAt === undefined) {
      bump(excluded, 'no instant');
      continue;
    }
    if ((range.since !== null && s.submittedAt < range.since) || (range.until !== null && s.submittedAt >= range.until)) {
      bump(excluded, 'outside --since/--until');
      continue;
    }
    const customerId = resolver.customerOf(s);
    if (customerId === undefined) {
      bump(excluded, 'no customer id');
      continue;
    }
    let y: number;
    if (kind === 'nps') y = score >= 9 ? 100 : score >= 7 ? 0 : -100;
    else if (kind === 'csat') y = score >= settings.csatPositiveFrom ? 1 : 0;
    else y = score;
    outcomes.push({ customerId, at: s.submittedAt, y, record: s });
  }
  return { outcomes, excluded, end: null };
}

// ---------------------------------------------------------------------------------------
// linking

/** 1 where the outcome's customer had an event of the exposure in [at − window, at]. */
export function exposedMask(outcomes: readonly Outcome[], index: ReadonlyMap<string, ArrayLike<number>>, windowMs: number): Uint8Array {
  const mask = new Uint8Array(outcomes.length);
  outcomes.forEach((o, i) => {
    const times = index.get(o.customerId);
    if (times !== undefined && anyWithin(times, o.at - windowMs, o.at)) mask[i] = 1;
  });
  return mask;
}

// ---------------------------------------------------------------------------------------
// statistics

/** One exposure as a 0/1 column over the outcomes. */
export interface ExposureColumn {
  exposure: string;
  label: string;
  family: string;
  /** Record kinds the events come from, or `outcome` / `customer` for an attribute (`--by`). */
  source: string[];
  /** Outcomes whose customer appears in the source at all. */
  linked: number;
  mask: Uint8Array;
}

export interface GroupSummary {
  n: number;
  /** NPS points, share, or mean score; null when n = 0. */
  value: number | null;
}

export interface DriverRow {
  exposure: string;
  label: string;
  family: string;
  source: string[];
  linked: number;
  exposed: GroupSummary;
  unexposed: GroupSummary;
  /** exposed − unexposed, in the outcome's unit (NPS points, share, score). */
  difference: number | null;
  ci95: [number, number] | null;
  p: number | null;
  /** Benjamini-Hochberg q-value over the ranked exposures; null when not ranked. */
  q: number | null;
  /** n_exposed / n × difference (see IMPACT_FORMULA). */
  impact: number | null;
  /** Both groups hold at least `minGroup` outcomes. */
  ranked: boolean;
  /** Churn only: churn share exposed / unexposed. */
  relative_risk: { ratio: number; ci95: [number, number]; p: number } | null;
  /** With a control field: the Mantel-Haenszel-weighted difference over its strata. */
  adjusted: { by: string; difference: number; ci95: [number, number]; p: number; strata: number } | null;
}

/** Strata of a confounder: a stratum index per outcome. */
export interface Strata {
  by: string;
  ids: Int32Array;
  count: number;
}

/** Sufficient statistics of one group (or one group in one stratum). */
class Cell {
  n = 0;
  /** NPS: promoters; shares: successes. */
  pos = 0;
  /** NPS: detractors. */
  neg = 0;
  mv: MeanVar | null = null;

  add(y: number, mean: boolean): void {
    this.n++;
    if (y > 0) this.pos++;
    else if (y < 0) this.neg++;
    if (mean) (this.mv ??= new MeanVar()).add(y);
  }

  nps() {
    return { promoters: this.pos, passives: this.n - this.pos - this.neg, detractors: this.neg };
  }

  summary(): MeanVar {
    return this.mv ?? new MeanVar();
  }
}

function cellValue(kind: OutcomeKind, cell: Cell): number | null {
  if (cell.n === 0) return null;
  if (kind === 'nps') return (100 * (cell.pos - cell.neg)) / cell.n;
  if (kind === 'ces') return cell.summary().mean;
  return cell.pos / cell.n;
}

function crude(kind: OutcomeKind, a: Cell, b: Cell): Comparison | null {
  if (a.n === 0 || b.n === 0) return null;
  if (kind === 'nps') return npsDifference(a.nps(), b.nps());
  if (kind === 'ces') return welch(a.summary(), b.summary());
  return newcombeDifference(a.pos, a.n, b.pos, b.n);
}

function stratified(kind: OutcomeKind, a: Cell[], b: Cell[]): (Comparison & { strata: number }) | null {
  if (kind === 'nps') return mantelHaenszelNpsDifference(a.map((cell, i) => ({ a: cell.nps(), b: b[i]!.nps() })));
  if (kind === 'ces') return mantelHaenszelMeanDifference(a.map((cell, i) => ({ a: cell.summary(), b: b[i]!.summary() })));
  return mantelHaenszelRiskDifference(a.map((cell, i) => ({ x1: cell.pos, n1: cell.n, x2: b[i]!.pos, n2: b[i]!.n })));
}

/**
 * Compares the outcome between exposed and unexposed for every column, adds Benjamini-Hochberg
 * q-values over the ranked columns, and orders the rows: ranked ones by |impact| (largest first),
 * then the rest the same way; ties by exposure id.
 */
export function driverRows(
  kind: OutcomeKind,
  y: ArrayLike<number>,
  columns: readonly ExposureColumn[],
  options: { minGroup: number; strata?: Strata | null },
): DriverRow[] {
  const n = y.length;
  const mean = kind === 'ces';
  const strata = options.strata ?? null;
  const rows = columns.map((column): DriverRow => {
    const a = new Cell();
    const b = new Cell();
    const sa = strata ? Array.from({ length: strata.count }, () => new Cell()) : null;
    const sb = strata ? Array.from({ length: strata.count }, () => new Cell()) : null;
    const mask = column.mask;
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      if (mask[i] === 1) {
        a.add(yi, mean);
        if (sa) sa[strata!.ids[i]!]!.add(yi, mean);
      } else {
        b.add(yi, mean);
        if (sb) sb[strata!.ids[i]!]!.add(yi, mean);
      }
    }
    const c = crude(kind, a, b);
    const rr = kind === 'churn' ? relativeRisk(a.pos, a.n, b.pos, b.n) : null;
    const adj = sa && sb ? stratified(kind, sa, sb) : null;
    return {
      exposure: column.exposure,
      label: column.label,
      family: column.family,
      source: column.source,
      linked: column.linked,
      exposed: { n: a.n, value: cellValue(kind, a) },
      unexposed: { n: b.n, value: cellValue(kind, b) },
      difference: c?.difference ?? null,
      ci95: c?.ci ?? null,
      p: c?.p ?? null,
      q: null,
      impact: c === null ? null : (a.n / n) * c.difference,
      ranked: c !== null && a.n >= options.minGroup && b.n >= options.minGroup,
      relative_risk: rr === null ? null : { ratio: rr.ratio, ci95: rr.ci, p: rr.p },
      adjusted: adj === null ? null : { by: strata!.by, difference: adj.difference, ci95: adj.ci, p: adj.p, strata: adj.strata },
    };
  });
  const ranked = rows.filter((r) => r.ranked);
  const q = benjaminiHochberg(ranked.map((r) => r.p));
  ranked.forEach((r, i) => {
    r.q = q[i] ?? null;
  });
  const magnitude = (r: DriverRow) => (r.impact === null ? -1 : Math.abs(r.impact));
  return rows.sort(
    (x, z) => Number(z.ranked) - Number(x.ranked) || magnitude(z) - magnitude(x) || compareCodeUnits(x.exposure, z.exposure),
  );
}

// ---------------------------------------------------------------------------------------
// attributes of the outcome (--by, --control)

/** Reads a field of an outcome: from its own record, else (when no outcome has it) from its customer's record. */
function attributeReader(
  outcomes: readonly Outcome[],
  kind: OutcomeKind,
  field: string,
  customers: ReadonlyMap<string, CustomerRecord>,
): { read: (o: Outcome) => string; source: string } {
  const own = segmentReader(kind === 'churn' ? 'customer' : 'survey', field);
  if (kind === 'churn' || outcomes.some((o) => own(o.record) !== NO_SEGMENT_VALUE)) return { read: (o) => own(o.record), source: kind === 'churn' ? 'customer' : 'outcome' };
  const viaCustomer = segmentReader('customer', field);
  return {
    read: (o) => {
      const c = customers.get(o.customerId);
      return c === undefined ? NO_SEGMENT_VALUE : viaCustomer(c);
    },
    source: 'customer',
  };
}

function attributeColumns(
  outcomes: readonly Outcome[],
  kind: OutcomeKind,
  field: string,
  customers: ReadonlyMap<string, CustomerRecord>,
  maxValues: number,
): ExposureColumn[] {
  const { read, source } = attributeReader(outcomes, kind, field, customers);
  const values = outcomes.map(read);
  const counts = new Map<string, number>();
  for (const v of values) if (v !== NO_SEGMENT_VALUE) counts.set(v, (counts.get(v) ?? 0) + 1);
  let ordered = [...counts].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]));
  const linked = ordered.reduce((sum, [, c]) => sum + c, 0);
  // Two values are one comparison: keep the smaller group (b2b vs the rest, not also b2c vs the rest).
  if (ordered.length === 2 && !values.includes(NO_SEGMENT_VALUE)) ordered = [ordered[1]!];
  if (ordered.length === 1 && ordered[0]![1] === outcomes.length) return [];
  return ordered.slice(0, maxValues).map(([value]) => ({
    exposure: `${field}=${value}`,
    label: `${field} = ${value}`,
    family: field,
    source: [source],
    linked,
    mask: Uint8Array.from(values, (v) => (v === value ? 1 : 0)),
  }));
}

function strataOf(outcomes: readonly Outcome[], kind: OutcomeKind, field: string, customers: ReadonlyMap<string, CustomerRecord>): Strata {
  const { read } = attributeReader(outcomes, kind, field, customers);
  const index = new Map<string, number>();
  const ids = Int32Array.from(outcomes, (o) => {
    const v = read(o);
    let id = index.get(v);
    if (id === undefined) index.set(v, (id = index.size));
    return id;
  });
  return { by: field, ids, count: index.size };
}

// ---------------------------------------------------------------------------------------
// the analysis

export interface DriversOptions {
  outcome: OutcomeKind;
  windowDays: number;
  minGroup: number;
  /** Outcome attributes to add as exposures (`--by`). */
  by: readonly string[];
  /** Confounder to stratify by (`--control`). */
  control: string | null;
  /** Comment-theme terms per side; 0 for none. */
  themes: number;
  /** Theme dictionary (config `drivers.themes`). */
  themeDictionary: Readonly<Record<string, readonly string[]>>;
  slaFirstResponseSeconds: number | null;
  settings: MetricSettings;
  since: number | null;
  until: number | null;
  /** Time zone for the dates written in the output. */
  zone: string;
}

export interface DriversAnalysis {
  outcome: OutcomeKind;
  label: string;
  unit: Unit;
  /** Whether a higher outcome is better (churn: lower). */
  direction: 'higher' | 'lower';
  window_days: number;
  min_group: number;
  by: string[];
  control: string | null;
  /** What one outcome is and where its window ends. */
  outcome_definition: string;
  method: string;
  impact_formula: string;
  note: string;
  overall: GroupSummary;
  /** Outcomes left out, by reason. */
  excluded: Record<string, number>;
  first_response_threshold: { seconds: number; source: 'sla' | 'p75' } | null;
  drivers: DriverRow[];
  /** Which group the themes compare (`detractors` vs `promoters`…). */
  theme_groups: [string, string];
  themes: ThemeTerm[];
  theme_dictionary: ThemeImpact[];
  warnings: string[];
}

/** Is the outcome better when higher? CES follows the configured scale direction. */
function outcomeDirection(kind: OutcomeKind, settings: MetricSettings): 'higher' | 'lower' {
  if (kind === 'churn') return 'lower';
  if (kind === 'ces') return settings.cesDirection === 'higher-is-easier' ? 'higher' : 'lower';
  return 'higher';
}

function definition(kind: OutcomeKind, settings: MetricSettings, end: number | null, zone: string): string {
  switch (kind) {
    case 'nps':
      return 'each NPS answer with a customer and a time (promoters 9-10, passives 7-8, detractors 0-6); the window ends at the answer';
    case 'csat':
      return `each CSAT answer with a customer and a time, satisfied when ${settings.csatPositiveFrom} or above (all answers in the denominator); the window ends at the answer`;
    case 'ces':
      return `each CES answer with a customer and a time, as its score (${settings.cesDirection}); the window ends at the answer`;
    case 'churn':
      return `each customer with a known churn state: churned (1) or not (0); the window ends at the churn date, or for customers who stayed at the end of the data${end === null ? '' : ` (${formatLocalDate(end - 1, zone)})`}, so their exposures are those of the last window (events that peak at the end of the data, such as a December season, can look protective for that reason alone); customers lost before a whole window of data are left out`;
  }
}

/** Themes of the comments: survey answers split by the outcome (for churn, by whether the customer churned). */
function themeInputs(
  dataset: Dataset,
  kind: OutcomeKind,
  outcomes: readonly Outcome[],
  settings: MetricSettings,
  resolver: CustomerResolver,
): { docs: ThemeDocument[]; answers: ScoredAnswer[] } {
  if (kind !== 'churn') {
    const docs: ThemeDocument[] = [];
    const answers: ScoredAnswer[] = [];
    for (const o of outcomes) {
      const comment = (o.record as SurveyRecord).comment;
      answers.push({ comment, value: o.y });
      if (comment === undefined || comment.trim() === '') continue;
      const score = (o.record as SurveyRecord)[kind]!;
      let group: ThemeDocument['group'];
      if (kind === 'nps') group = o.y < 0 ? 'a' : o.y > 0 ? 'b' : null;
      else if (kind === 'csat') group = o.y === 1 ? 'b' : 'a';
      else {
        const easy = settings.cesDirection === 'higher-is-easier' ? score >= settings.cesLowEffortFrom : score <= settings.cesLowEffortFrom;
        group = easy ? 'b' : 'a';
      }
      docs.push({ text: comment, group });
    }
    return { docs, answers };
  }
  const churned = new Map(outcomes.map((o) => [o.customerId, o.y]));
  const comments = new Map<string, string[]>();
  const docs: ThemeDocument[] = [];
  for (const s of dataset.records('survey')) {
    if (s.comment === undefined || s.comment.trim() === '') continue;
    const customer = resolver.customerOf(s);
    const y = customer === undefined ? undefined : churned.get(customer);
    if (y === undefined) continue;
    docs.push({ text: s.comment, group: y === 1 ? 'a' : 'b' });
    let list = comments.get(customer!);
    if (!list) comments.set(customer!, (list = []));
    list.push(s.comment);
  }
  const answers = outcomes.map((o) => ({ comment: comments.get(o.customerId)?.join('\n'), value: o.y }));
  return { docs, answers };
}

/** Outcomes linked to exposures, ready for {@link driverRows}: what a permutation test reshuffles. */
export interface LinkedDrivers {
  outcomes: Outcome[];
  /** The outcome values, in the order of `outcomes`. */
  y: Float64Array;
  columns: ExposureColumn[];
  strata: Strata | null;
  collected: CollectedOutcomes;
  firstResponseThreshold: DerivedExposures['firstResponseThreshold'];
  resolver: CustomerResolver;
  warnings: string[];
}

/** Collects the outcomes, derives the exposures, links them (one 0/1 column per exposure) and builds the strata. */
export function linkDrivers(dataset: Dataset, options: DriversOptions): LinkedDrivers {
  const resolver = new CustomerResolver(dataset);
  const windowMs = options.windowDays * DAY_MS;
  const collected = collectOutcomes(dataset, options.outcome, options.settings, { since: options.since, until: options.until, windowMs }, resolver);
  const { outcomes } = collected;
  const derived = deriveExposures(dataset, { ...EXPOSURE_DEFAULTS, slaFirstResponseSeconds: options.slaFirstResponseSeconds });
  const warnings: string[] = [];
  const customers = new Map<string, CustomerRecord>();
  for (const c of dataset.records('customer')) if (c.id !== undefined) customers.set(c.id, c);

  const columns: ExposureColumn[] = [];
  const neverInWindow: string[] = [];
  for (const exposure of derived.exposures) {
    const mask = exposedMask(outcomes, exposure.index, windowMs);
    const linked = linkedCount(outcomes, exposure, derived.customersByKind);
    if (!mask.includes(1)) {
      neverInWindow.push(exposure.id);
      continue;
    }
    // Two exposures that mark exactly the same outcomes are one comparison (without contact
    // counts or an FCR flag, "not resolved on first contact" is "reopened"): shown once.
    const twin = columns.find((c) => sameMask(c.mask, mask));
    if (twin !== undefined) {
      warnings.push(`${exposure.id}: marks exactly the same outcomes as ${twin.exposure}, so it is shown once, as ${twin.exposure}`);
      continue;
    }
    columns.push({ exposure: exposure.id, label: exposure.label, family: exposure.family, source: exposure.sources, linked, mask });
    if (outcomes.length > 0 && exposure.family === exposure.id && linked < 0.05 * outcomes.length) {
      warnings.push(
        `${exposure.id}: only ${linked} of ${outcomes.length} outcomes belong to a customer found in the ${exposure.sources.join('/')} records; check that the customer ids match`,
      );
    }
  }
  for (const field of options.by) columns.push(...attributeColumns(outcomes, options.outcome, field, customers, EXPOSURE_DEFAULTS.maxValues));
  if (derived.exposures.length === 0) {
    warnings.push('no exposures: none of the inputs are returns, tickets, calls, orders with promised dates, invoice changes or installations linked to customers');
  }
  if (neverInWindow.length) {
    warnings.push(`${neverInWindow.length} exposure${neverInWindow.length === 1 ? '' : 's'} never fell within ${options.windowDays} days before an outcome: ${neverInWindow.join(', ')}`);
  }
  for (const [key, dropped] of Object.entries(derived.truncated)) {
    warnings.push(`${key}: only the ${EXPOSURE_DEFAULTS.maxValues} most frequent values are compared (${dropped} more left out)`);
  }

  const strata = options.control === null ? null : strataOf(outcomes, options.outcome, options.control, customers);
  if (strata !== null && strata.count < 2) warnings.push(`--control ${options.control}: every outcome has the same value, so there is nothing to stratify by`);
  const y = Float64Array.from(outcomes, (o) => o.y);
  return { outcomes, y, columns, strata, collected, firstResponseThreshold: derived.firstResponseThreshold, resolver, warnings };
}

/**
 * The whole drivers analysis of one outcome: outcomes, exposures, statistics, comment themes.
 *
 * @example
 * analyzeDrivers(dataset, { outcome: 'nps', windowDays: 90, minGroup: 30, by: [], control: null, themes: 10,
 *   themeDictionary: {}, slaFirstResponseSeconds: null, settings, since: null, until: null, zone: 'UTC' })
 *   .drivers[0] // the exposure that moves NPS the most
 */
export function analyzeDrivers(dataset: Dataset, options: DriversOptions): DriversAnalysis {
  const spec = OUTCOME_SPECS[options.outcome];
  const { outcomes, y, columns, strata, collected, firstResponseThreshold, resolver, warnings } = linkDrivers(dataset, options);
  const drivers = driverRows(options.outcome, y, columns, { minGroup: options.minGroup, strata });

  const overall = new Cell();
  for (const v of y) overall.add(v, options.outcome === 'ces');

  let themes: ThemeTerm[] = [];
  let dictionary: ThemeImpact[] = [];
  if (options.themes > 0 || Object.keys(options.themeDictionary).length > 0) {
    const { docs, answers } = themeInputs(dataset, options.outcome, outcomes, options.settings, resolver);
    if (options.themes > 0) themes = commentThemes(docs, { ...THEME_DEFAULTS, top: options.themes, names: spec.groups });
    dictionary = themeImpacts(answers, options.themeDictionary);
  }

  return {
    outcome: options.outcome,
    label: spec.label,
    unit: spec.unit,
    direction: outcomeDirection(options.outcome, options.settings),
    window_days: options.windowDays,
    min_group: options.minGroup,
    by: [...options.by],
    control: options.control,
    outcome_definition: definition(options.outcome, options.settings, collected.end, options.zone),
    method: `${spec.method}; q: Benjamini-Hochberg over the ranked exposures; exposures with fewer than ${options.minGroup} outcomes in a group are shown but not ranked${options.control ? `; adjusted: Mantel-Haenszel-weighted difference over the strata of ${options.control}` : ''}`,
    impact_formula: IMPACT_FORMULA,
    note: CAUSATION_NOTE,
    overall: { n: overall.n, value: cellValue(options.outcome, overall) },
    excluded: collected.excluded,
    first_response_threshold: firstResponseThreshold,
    drivers,
    theme_groups: spec.groups,
    themes,
    theme_dictionary: dictionary,
    warnings,
  };
}

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Outcomes whose customer appears in any of the exposure's source kinds. */
function linkedCount(outcomes: readonly Outcome[], exposure: Exposure, customersByKind: ReadonlyMap<RecordKind, ReadonlySet<string>>): number {
  const sets = exposure.sources.map((kind) => customersByKind.get(kind)).filter((s): s is ReadonlySet<string> => s !== undefined);
  let linked = 0;
  for (const o of outcomes) if (sets.some((s) => s.has(o.customerId))) linked++;
  return linked;
}


/** The outcomes the dataset can explain: survey scores present, and customers with a churn state. */
export function availableOutcomes(dataset: Dataset): OutcomeKind[] {
  const surveys = dataset.records('survey');
  const out: OutcomeKind[] = [];
  for (const kind of ['nps', 'csat', 'ces'] as const) if (surveys.some((s) => s[kind] !== undefined)) out.push(kind);
  if (dataset.records('customer').some((c) => customerChurned(c) !== undefined)) out.push('churn');
  return out;
}
