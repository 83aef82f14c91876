/** `generateDemo`: runs the simulation and writes the twelve export files and their README. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as M from './model.js';
import { parseSeed } from './rng.js';
import { Simulation, npsOf, type Customer, type NpsAcc, type SatAcc, type Stats } from './simulate.js';
import { makeDeals, makeEmployeeFeedback, makeSocial } from './extras.js';
import { Output, type FileSummary } from './output.js';
import { renderReadme } from './readme.js';
import { DAY_MS } from './time.js';

export interface GenerateOptions {
  outDir?: string;
  customers?: number;
  seed?: number | string;
  /** Write README.md next to the data (default true). */
  readme?: boolean;
}

export interface GroupValue {
  n: number;
  value: number;
}

/** Exposed against unexposed, with the z statistic of the difference (normal approximation). */
export interface Comparison {
  exposed: GroupValue;
  unexposed: GroupValue;
  difference: number;
  z: number;
}

export interface Measured {
  npsReturn: Comparison;
  npsFailedInstall: Comparison;
  csatInvoice: Comparison;
  csatLate: Comparison;
  /** `z` is for the log of the ratio. */
  churnReopen: { exposed: GroupValue; unexposed: GroupValue; ratio: number; z: number };
  npsOverall: GroupValue;
  npsByCanal: Record<string, GroupValue>;
  csatSatisfied: GroupValue;
  responseRates: Record<string, { invited: number; answered: number; rate: number }>;
  lateShare: number;
  returnRate: number;
  invoiceChangeShare: number;
  monthlyChurn: number;
  installFailureShare: number;
}

export interface GenerateResult {
  outDir: string;
  customers: number;
  seed: number;
  files: FileSummary[];
  totalBytes: number;
  measured: Measured;
  blemishes: { duplicatedTickets: string[]; blankCustomer: string[]; outOfRange: string[]; multiline: string[] };
}

const nps = (a: NpsAcc): GroupValue => ({ n: a.n, value: npsOf(a) });
const sat = (a: SatAcc): GroupValue => ({ n: a.n, value: a.n === 0 ? NaN : a.satisfied / a.n });

/** Variance of one answer's promoter (+100) / passive (0) / detractor (-100) value. */
function npsVariance(a: NpsAcc): number {
  const p = a.promoters / a.n;
  const d = a.detractors / a.n;
  return 10_000 * (p + d - (p - d) ** 2);
}

function npsCompare(e: NpsAcc, u: NpsAcc): Comparison {
  const difference = npsOf(e) - npsOf(u);
  return { exposed: nps(e), unexposed: nps(u), difference, z: difference / Math.sqrt(npsVariance(e) / e.n + npsVariance(u) / u.n) };
}

function satCompare(e: SatAcc, u: SatAcc): Comparison {
  const pe = e.satisfied / e.n;
  const pu = u.satisfied / u.n;
  return { exposed: sat(e), unexposed: sat(u), difference: pe - pu, z: (pe - pu) / Math.sqrt((pe * (1 - pe)) / e.n + (pu * (1 - pu)) / u.n) };
}

function churnAfterTickets(stats: Stats, customers: readonly Customer[]): Measured['churnReopen'] {
  const window = M.EFFECTS.churnReopen.windowDays * DAY_MS;
  const acc = { exposed: { n: 0, churned: 0 }, unexposed: { n: 0, churned: 0 } };
  const { c, t, reopened } = stats.churnTickets;
  for (let i = 0; i < c.length; i++) {
    const cust = customers[c[i] ?? -1];
    const created = t[i] ?? 0;
    if (!cust) continue;
    const g = reopened[i] ? acc.exposed : acc.unexposed;
    g.n++;
    if (cust.churnMs !== null && cust.churnMs >= created && cust.churnMs <= created + window) g.churned++;
  }
  const exposed = { n: acc.exposed.n, value: acc.exposed.churned / Math.max(1, acc.exposed.n) };
  const unexposed = { n: acc.unexposed.n, value: acc.unexposed.churned / Math.max(1, acc.unexposed.n) };
  const se = Math.sqrt((1 - exposed.value) / acc.exposed.churned + (1 - unexposed.value) / acc.unexposed.churned);
  return { exposed, unexposed, ratio: exposed.value / unexposed.value, z: Math.log(exposed.value / unexposed.value) / se };
}

function measure(stats: Stats, customers: readonly Customer[]): Measured {
  const responseRates: Measured['responseRates'] = {};
  for (const key of [...stats.invites.keys()].sort()) {
    const v = stats.invites.get(key);
    if (v) responseRates[key] = { ...v, rate: v.answered / Math.max(1, v.invited) };
  }
  const npsByCanal: Record<string, GroupValue> = {};
  for (const key of [...stats.npsByCanal.keys()].sort()) {
    const v = stats.npsByCanal.get(key);
    if (v) npsByCanal[key] = nps(v);
  }
  const changes = stats.invoiceChanges.correction + stats.invoiceChanges.credit_note + stats.invoiceChanges.cancellation;
  return {
    npsReturn: npsCompare(stats.npsReturn.exposed, stats.npsReturn.unexposed),
    npsFailedInstall: npsCompare(stats.npsInstall.exposed, stats.npsInstall.unexposed),
    csatInvoice: satCompare(stats.csatInvoice.exposed, stats.csatInvoice.unexposed),
    csatLate: satCompare(stats.csatLate.exposed, stats.csatLate.unexposed),
    churnReopen: churnAfterTickets(stats, customers),
    npsOverall: nps(stats.npsAll),
    npsByCanal,
    csatSatisfied: sat(stats.csatAll),
    responseRates,
    lateShare: stats.lateDelivered / Math.max(1, stats.delivered),
    returnRate: stats.returns / Math.max(1, stats.delivered),
    invoiceChangeShare: changes / Math.max(1, stats.orders),
    monthlyChurn: stats.churns / Math.max(1, stats.customerDays / 30.44),
    installFailureShare: stats.onboardingFailed / Math.max(1, stats.onboardings),
  };
}

export function generateDemo(options: GenerateOptions = {}): GenerateResult {
  const outDir = options.outDir ?? M.DEFAULT_OUT;
  const customers = options.customers ?? M.DEFAULT_CUSTOMERS;
  if (!Number.isInteger(customers) || customers < 50) throw new Error(`--customers must be an integer of at least 50 (got ${customers})`);
  const seed = parseSeed(options.seed ?? M.DEFAULT_SEED);
  const output = new Output(outDir);
  const sim = new Simulation(customers, seed, output);
  const result = sim.run();
  const deals = makeDeals(result.customers, seed);
  const social = makeSocial(result.stats, customers, seed);
  const employee = makeEmployeeFeedback(result.stats, customers, seed);
  const files = output.finish({ customers: result.customers, onboarding: result.onboarding, deals, social, employee });
  const measured = measure(result.stats, result.customers);
  const blemishes = {
    duplicatedTickets: output.duplicatedTickets,
    blankCustomer: result.stats.blemishes.blankCustomer,
    outOfRange: result.stats.blemishes.outOfRange,
    multiline: result.stats.blemishes.multiline,
  };
  const partial: GenerateResult = {
    outDir,
    customers,
    seed,
    files,
    totalBytes: files.reduce((s, f) => s + f.bytes, 0),
    measured,
    blemishes,
  };
  if (options.readme !== false) {
    const text = renderReadme(partial);
    writeFileSync(join(outDir, 'README.md'), text);
    partial.totalBytes += Buffer.byteLength(text);
  }
  return partial;
}
