/**
 * The Verdemar simulation: one pass over the 396 days of the period, customer by customer, in
 * time order. Every operational event (order, delivery, return, invoice change, ticket, call,
 * installation) is decided when it is caused and recorded as an exposure on its customer with the
 * instant the export will show; survey answers are scored when they happen, from the exposures
 * their customer has by then. That is where the planted effects of `EFFECTS` come in.
 *
 * Rows are put in per-day buckets and handed to the sink a fixed number of days later (so that a
 * ticket can still receive the CSAT score its survey gets a few days after), sorted by time; ids
 * are given in that order, so every file is chronological and ids ascend with time.
 */
import * as M from './model.js';
import { Rng } from './rng.js';
import {
  CALL_HOURS,
  DAY_MS,
  HOLIDAYS,
  HOUR_MS,
  MINUTE_MS,
  SUPPORT_HOURS,
  addBusinessMinutes,
  civilAddDays,
  civilDiff,
  civilDow,
  civilKey,
  localParts,
  localToUtc,
  wholeMinute,
  wholeSecond,
  type Civil,
} from './time.js';
import * as X from './text.js';
import { cents } from './csv.js';

export type Segment = 'b2c' | 'b2b';
export type Plan = 'basic' | 'plus' | 'pro';

export interface Customer {
  idx: number;
  id: string;
  segment: Segment;
  plan: Plan;
  region: string;
  /** Local midnight of the signup date. */
  signupMs: number;
  /** Day index of the signup (negative: before the period). */
  signupDay: number;
  isNew: boolean;
  /** Orders per month. */
  orderRate: number;
  /** Median basket. */
  basket: number;
  monthlyRevenue: number;
  /** Daily churn hazard. */
  hazard: number;
  /** Personal NPS shift, in points. */
  mood: number;
  churnMs: number | null;
  onboarded: boolean;
  /** Exposure instants, as the exports show them. */
  ret: number[];
  inv: number[];
  late: number[];
  failInst: number[];
  reopen: number[];
}

interface RowBase {
  t: number;
  seq: number;
  id: string;
}

export interface OrderRow extends RowBase {
  f: 'orders';
  c: Customer;
  channel: 'web' | 'store' | 'app';
  amount: number;
  promised: string;
  deliveredMs: number | null;
  status: 'delivered' | 'shipped' | 'processing' | 'cancelled';
  items: number;
}

export type ChangeType = 'none' | 'correction' | 'credit_note' | 'cancellation';

export interface InvoiceRow extends RowBase {
  f: 'invoices';
  c: Customer;
  order: OrderRow;
  change: ChangeType;
  changedMs: number | null;
  reason: string;
  amount: number;
}

export interface ReturnRow extends RowBase {
  f: 'returns';
  c: Customer;
  order: OrderRow;
  reason: string;
  amount: number;
  product: string;
  units: number;
}

export interface NpsRow extends RowBase {
  f: 'nps';
  /** null: the planted blank customer id. */
  c: Customer | null;
  segment: Segment;
  canal: string;
  tipo: 'relacional' | 'transaccional';
  score: number | null;
  comment: string;
  /** One of the planted blemishes (kept out of the measured effects). */
  blemish: boolean;
}

export interface TicketRow extends RowBase {
  f: 'tickets';
  c: Customer;
  num: number;
  updatedMs: number;
  solvedMs: number | null;
  firstReplyMs: number | null;
  type: 'complaint' | 'question' | 'incident' | 'task';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed';
  via: 'email' | 'web' | 'chat' | 'phone';
  group: 'Support' | 'Billing' | 'Logistics';
  assignee: string | null;
  category: 'delivery' | 'billing' | 'product' | 'returns' | 'account';
  replies: number;
  reopens: number;
  score: number | null;
  subject: string;
  refOrder: OrderRow | null;
  refReturn: ReturnRow | null;
  refInvoice: InvoiceRow | null;
  flushed: boolean;
}

export interface CsatRow extends RowBase {
  f: 'csat';
  c: Customer;
  ticket: TicketRow;
  csat: number;
  ces: number;
  comment: string;
}

export interface CallRow extends RowBase {
  f: 'calls';
  c: Customer;
  queue: string;
  answered: boolean;
  wait: number;
  talk: number;
  hold: number;
  wrap: number;
  fcr: boolean;
  agent: string;
  sat: number | null;
}

export type Row = OrderRow | InvoiceRow | ReturnRow | NpsRow | TicketRow | CsatRow | CallRow;
export type RowFile = Row['f'];

export interface OnboardingRec {
  c: Customer;
  startMs: number;
  installedMs: number | null;
  success: boolean;
  attempts: number;
}

export interface Sink {
  /** Rows of one day, sorted, ids already given. */
  write(rows: readonly Row[]): void;
}

/** Running totals the README quotes (the test recomputes the planted ones from the files). */
export interface NpsAcc {
  n: number;
  promoters: number;
  detractors: number;
}
export interface SatAcc {
  n: number;
  satisfied: number;
}
export interface Stats {
  npsAll: NpsAcc;
  npsReturn: { exposed: NpsAcc; unexposed: NpsAcc };
  npsInstall: { exposed: NpsAcc; unexposed: NpsAcc };
  npsByCanal: Map<string, NpsAcc>;
  invites: Map<string, { invited: number; answered: number }>;
  csatAll: SatAcc;
  csatInvoice: { exposed: SatAcc; unexposed: SatAcc };
  csatLate: { exposed: SatAcc; unexposed: SatAcc };
  /** Per ticket created at least 90 days before the end: customer index, created, reopened. */
  churnTickets: { c: number[]; t: number[]; reopened: boolean[] };
  orders: number;
  delivered: number;
  lateDelivered: number;
  cancelled: number;
  returns: number;
  invoiceChanges: Record<Exclude<ChangeType, 'none'>, number>;
  churns: number;
  customerDays: number;
  onboardings: number;
  onboardingFailed: number;
  /** Response ids of the planted survey blemishes, filled in as the rows are written. */
  blemishes: { blankCustomer: string[]; outOfRange: string[]; multiline: string[] };
  daily: { deliveries: number[]; late: number[]; returns: number[] };
}

export const NPS_EMPTY = (): NpsAcc => ({ n: 0, promoters: 0, detractors: 0 });
export const SAT_EMPTY = (): SatAcc => ({ n: 0, satisfied: 0 });

export function npsOf(a: NpsAcc): number {
  return a.n === 0 ? NaN : (100 * (a.promoters - a.detractors)) / a.n;
}

function npsAdd(a: NpsAcc, score: number): void {
  a.n++;
  if (score >= 9) a.promoters++;
  else if (score <= 6) a.detractors++;
}

export const DAYS = civilDiff(M.START, M.LAST) + 1;
/** Rows wait this many days in their bucket before they are written. */
const FLUSH_LAG_DAYS = 75;

const ONLINE_HOUR_WEIGHTS = [0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2, 2.2, 2.3, 2.4, 2.2, 2, 2, 2, 2.1, 2.3, 2.6, 2.8, 2.6, 1.8, 0.9];
/** Store hours 10-21; index 0 = 10:00. */
const STORE_HOUR_WEIGHTS = [1, 1.3, 1.5, 1.4, 1, 0.9, 1, 1.3, 1.7, 2, 1.8, 0.9];

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function withinBefore(times: readonly number[], t: number, windowDays: number): boolean {
  const from = t - windowDays * DAY_MS;
  for (const e of times) if (e <= t && e >= from) return true;
  return false;
}

function withinAfterStart(starts: readonly number[], t: number, windowDays: number): boolean {
  for (const s of starts) if (t >= s && t <= s + windowDays * DAY_MS) return true;
  return false;
}

function isWorkingDay(c: Civil): boolean {
  return civilDow(c) !== 0 && !HOLIDAYS.has(civilKey(c));
}

function addWorkingDays(c: Civil, n: number): Civil {
  let d = c;
  let left = n;
  const step = n >= 0 ? 1 : -1;
  while (left !== 0) {
    d = civilAddDays(d, step);
    if (isWorkingDay(d)) left -= step;
  }
  return d;
}

interface ScheduledNps {
  kind: 'nps';
  t: number;
  inviteMs: number;
  c: Customer;
  canal: string;
  tipo: 'relacional' | 'transaccional';
}
interface ScheduledCsat {
  kind: 'csat';
  t: number;
  ticket: TicketRow;
}
type Scheduled = ScheduledNps | ScheduledCsat;

interface TicketOpts {
  category: TicketRow['category'];
  type: TicketRow['type'];
  subjectKey: string;
  refOrder?: OrderRow;
  refReturn?: ReturnRow;
  refInvoice?: InvoiceRow;
  /** The ticket cannot be solved before this instant (e.g. the late parcel's delivery). */
  notBefore?: number;
}

export interface SimResult {
  customers: Customer[];
  onboarding: OnboardingRec[];
  stats: Stats;
}

export class Simulation {
  private readonly rngCustomers: Rng;
  private readonly rng: Rng;
  private readonly rngText: Rng;
  private readonly buckets: Row[][] = [];
  private readonly scheduled: Scheduled[][] = [];
  private flushedThrough = -1;
  private blankDone = false;
  private outOfRangeDone = 0;
  private multilineDone = false;
  private seq = 0;
  private readonly counters: Record<RowFile, number> = {
    orders: 0,
    invoices: 0,
    returns: 0,
    nps: 0,
    tickets: 0,
    csat: 0,
    calls: 0,
  };
  readonly customers: Customer[] = [];
  readonly onboarding: OnboardingRec[] = [];
  readonly stats: Stats;

  constructor(
    private readonly nCustomers: number,
    seed: number,
    private readonly sink: Sink,
  ) {
    this.rngCustomers = Rng.forPart(seed, 'customers');
    this.rng = Rng.forPart(seed, 'events');
    this.rngText = Rng.forPart(seed, 'text');
    for (let i = 0; i < DAYS; i++) {
      this.buckets.push([]);
      this.scheduled.push([]);
    }
    this.stats = {
      npsAll: NPS_EMPTY(),
      npsReturn: { exposed: NPS_EMPTY(), unexposed: NPS_EMPTY() },
      npsInstall: { exposed: NPS_EMPTY(), unexposed: NPS_EMPTY() },
      npsByCanal: new Map(),
      invites: new Map(),
      csatAll: SAT_EMPTY(),
      csatInvoice: { exposed: SAT_EMPTY(), unexposed: SAT_EMPTY() },
      csatLate: { exposed: SAT_EMPTY(), unexposed: SAT_EMPTY() },
      churnTickets: { c: [], t: [], reopened: [] },
      orders: 0,
      delivered: 0,
      lateDelivered: 0,
      cancelled: 0,
      returns: 0,
      invoiceChanges: { correction: 0, credit_note: 0, cancellation: 0 },
      churns: 0,
      customerDays: 0,
      onboardings: 0,
      onboardingFailed: 0,
      blemishes: { blankCustomer: [], outOfRange: [], multiline: [] },
      daily: {
        deliveries: new Array<number>(DAYS).fill(0),
        late: new Array<number>(DAYS).fill(0),
        returns: new Array<number>(DAYS).fill(0),
      },
    };
  }

  run(): SimResult {
    this.makeCustomers();
    const wavesB2b = new Set<string>(M.WAVES_B2B);
    const wavesB2c = new Set<string>(M.WAVES_B2C);
    for (let day = 0; day < DAYS; day++) {
      const civil = civilAddDays(M.START, day);
      const key = civilKey(civil);
      if (wavesB2b.has(key)) this.relationalWave(civil, day, 'b2b');
      if (wavesB2c.has(key)) this.relationalWave(civil, day, 'b2c');
      this.customersDay(civil, day);
      this.runScheduled(day);
      if (day - FLUSH_LAG_DAYS >= 0) this.flush(day - FLUSH_LAG_DAYS);
    }
    for (let day = Math.max(0, DAYS - FLUSH_LAG_DAYS); day < DAYS; day++) this.flush(day);
    return { customers: this.customers, onboarding: this.onboarding, stats: this.stats };
  }

  // ---------------------------------------------------------------- customers

  private makeCustomers(): void {
    const r = this.rngCustomers;
    const regionTable = X.REGIONS;
    const newDayWeights: number[] = [];
    for (let d = 0; d < DAYS - 14; d++) {
      const c = civilAddDays(M.START, d);
      newDayWeights.push(M.ORDER_SEASON[c.mo] ?? 1);
    }
    const historyStart = Date.UTC(2018, 0, 15);
    const historyEnd = Date.UTC(2024, 10, 30);
    const drafts: Customer[] = [];
    for (let i = 0; i < this.nCustomers; i++) {
      const segment: Segment = r.chance(0.15) ? 'b2b' : 'b2c';
      const plan: Plan =
        segment === 'b2b'
          ? r.weighted<Plan>([['basic', 20], ['plus', 40], ['pro', 40]])
          : r.weighted<Plan>([['basic', 55], ['plus', 30], ['pro', 15]]);
      const region = r.weighted(regionTable);
      const isNew = r.chance(segment === 'b2b' ? 0.25 : 0.32);
      let signup: Civil;
      if (isNew) {
        signup = civilAddDays(M.START, r.weightedIndex(newDayWeights));
      } else {
        const dt = new Date(historyStart + Math.floor(r.next() * ((historyEnd - historyStart) / DAY_MS)) * DAY_MS);
        signup = { y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
      }
      const planMul = plan === 'basic' ? 0.85 : plan === 'plus' ? 1.1 : 1.4;
      const orderRate = (segment === 'b2b' ? r.lognormal(0.5, 0.5) : r.lognormal(0.22, 0.55)) * planMul;
      const basket = segment === 'b2b' ? r.lognormal(380, 0.45) : r.lognormal(42, 0.35);
      const monthlyRevenue = cents(orderRate * basket * 1.2 * r.uniform(0.85, 1.15));
      const monthlyChurn = M.CHURN_MONTHLY[plan] * (segment === 'b2b' ? 0.65 : 1);
      drafts.push({
        idx: i,
        id: '',
        segment,
        plan,
        region,
        signupMs: localToUtc(signup.y, signup.mo, signup.d),
        signupDay: civilDiff(M.START, signup),
        isNew,
        orderRate,
        basket,
        monthlyRevenue,
        hazard: -Math.log(1 - monthlyChurn) / 30.44,
        mood: r.normal(0, 12),
        churnMs: null,
        onboarded: false,
        ret: [],
        inv: [],
        late: [],
        failInst: [],
        reopen: [],
      });
    }
    // CRM ids ascend with the signup date.
    drafts.sort((a, b) => a.signupMs - b.signupMs || a.idx - b.idx);
    const width = Math.max(5, String(drafts.length).length);
    drafts.forEach((c, i) => {
      c.idx = i;
      c.id = 'C' + String(i + 1).padStart(width, '0');
      this.customers.push(c);
    });
  }

  private customersDay(civil: Civil, day: number): void {
    const r = this.rng;
    const dayStart = localToUtc(civil.y, civil.mo, civil.d);
    const dow = civilDow(civil);
    const holiday = HOLIDAYS.has(civilKey(civil));
    const season = M.ORDER_SEASON[civil.mo] ?? 1;
    const orderFactor = (season * (M.ORDER_DOW[dow] ?? 1)) / 30.44;
    const softSeason = 0.6 + 0.4 * season;
    const ticketFactor = (softSeason * (M.TICKET_DOW[dow] ?? 1)) / 30.44;
    const callOpen = dow !== 0 && !holiday;
    const callFactor = callOpen ? (softSeason * (dow === 1 ? 1.3 : dow === 6 ? 0.5 : 1)) / 30.44 : 0;
    const reopenMs = M.EFFECTS.churnReopen.windowDays * DAY_MS;
    for (const c of this.customers) {
      if (c.signupDay > day || c.churnMs !== null) continue;
      this.stats.customerDays++;
      if (c.isNew && c.signupDay === day && r.chance(0.75)) {
        this.createOrder(c, civil);
        continue;
      }
      let hazard = c.hazard;
      for (const t of c.reopen) {
        if (t <= dayStart && dayStart - t <= reopenMs) {
          hazard *= M.EFFECTS.churnReopen.hazardRatio;
          break;
        }
      }
      let u = r.next();
      if (u < hazard) {
        c.churnMs = dayStart;
        this.stats.churns++;
        continue;
      }
      u -= hazard;
      const pOrder = c.orderRate * orderFactor;
      if (u < pOrder) {
        this.createOrder(c, civil);
        continue;
      }
      u -= pOrder;
      const pTicket = (c.segment === 'b2b' ? 0.09 : 0.06) * ticketFactor;
      if (u < pTicket) {
        this.spontaneousTicket(c, civil);
        continue;
      }
      u -= pTicket;
      const pCall = (c.segment === 'b2b' ? 0.16 : 0.11) * callFactor;
      if (u < pCall) {
        this.spontaneousCall(c, civil);
      }
    }
  }

  // ---------------------------------------------------------------- rows and buckets

  private dayOf(t: number): number {
    return civilDiff(M.START, localParts(t));
  }

  /** Puts a row in its day's bucket; rows outside the period are dropped (false). */
  private emit(row: Row): boolean {
    if (row.t > M.END_MS || row.t < M.START_MS) return false;
    const day = this.dayOf(row.t);
    if (day <= this.flushedThrough) throw new Error(`row for day ${day} arrives after that day was written`);
    const bucket = this.buckets[day];
    if (!bucket) throw new Error(`no bucket for day ${day}`);
    row.seq = this.seq++;
    bucket.push(row);
    return true;
  }

  private schedule(item: Scheduled): void {
    const day = this.dayOf(item.t);
    const list = this.scheduled[day];
    if (!list) throw new Error(`no schedule for day ${day}`);
    list.push(item);
  }

  private flush(day: number): void {
    const rows = this.buckets[day];
    if (!rows) return;
    rows.sort((a, b) => a.t - b.t || a.seq - b.seq);
    for (const row of rows) {
      const n = ++this.counters[row.f];
      switch (row.f) {
        case 'orders':
          row.id = 'O' + String(n).padStart(6, '0');
          break;
        case 'invoices':
          row.id = 'INV-' + String(n).padStart(6, '0');
          break;
        case 'returns':
          row.id = 'DEV-' + String(n).padStart(5, '0');
          break;
        case 'nps':
          row.id = 'ENC-' + String(n).padStart(6, '0');
          if (row.c === null) this.stats.blemishes.blankCustomer.push(row.id);
          if (row.score !== null && (row.score < 0 || row.score > 10)) this.stats.blemishes.outOfRange.push(row.id);
          if (row.comment.includes('\n')) this.stats.blemishes.multiline.push(row.id);
          break;
        case 'tickets':
          row.num = 40000 + n;
          row.id = String(row.num);
          row.flushed = true;
          break;
        case 'csat':
          row.id = 'CS-' + String(n).padStart(6, '0');
          break;
        case 'calls':
          row.id = 'LL-' + String(n).padStart(6, '0');
          break;
      }
    }
    this.sink.write(rows);
    this.buckets[day] = [];
    this.flushedThrough = day;
  }

  // ---------------------------------------------------------------- orders

  private randomTime(civil: Civil, weights: readonly number[], firstHour = 0): number {
    const r = this.rng;
    const h = firstHour + r.weightedIndex(weights);
    return localToUtc(civil.y, civil.mo, civil.d, h, r.int(0, 59), r.int(0, 59));
  }

  private createOrder(c: Customer, civil: Civil): void {
    const r = this.rng;
    const st = this.stats;
    const storeOpen = isWorkingDay(civil);
    let channel: OrderRow['channel'] =
      c.segment === 'b2b'
        ? r.weighted<OrderRow['channel']>([['web', 75], ['store', 10], ['app', 15]])
        : r.weighted<OrderRow['channel']>([['web', 50], ['store', 30], ['app', 20]]);
    if (channel === 'store' && !storeOpen) channel = 'web';
    const t = channel === 'store' ? this.randomTime(civil, STORE_HOUR_WEIGHTS, 10) : this.randomTime(civil, ONLINE_HOUR_WEIGHTS);
    if (t > M.END_MS) return;
    const amount =
      c.segment === 'b2b'
        ? cents(Math.max(60, r.lognormal(c.basket, 0.75)))
        : cents(Math.max(4.95, r.lognormal(c.basket * (channel === 'store' ? 1.3 : 1), 0.65)));
    const items = c.segment === 'b2b' ? 2 + r.poisson(Math.min(30, amount / 60)) : 1 + r.poisson(Math.min(5, amount / 55));
    const cancelled = r.chance(0.025);
    const promisedCivil = addWorkingDays(civil, channel === 'store' ? r.int(3, 7) : r.int(2, 4));
    const lateP = (M.LATE_BY_MONTH[civil.mo] ?? 0.08) * (c.segment === 'b2b' ? 0.9 : 1);
    const late = !cancelled && r.chance(lateP);
    let deliveredMs: number | null = null;
    let deliveredCivil: Civil | null = null;
    if (!cancelled) {
      if (late) {
        deliveredCivil = addWorkingDays(promisedCivil, r.weighted([[1, 35], [2, 25], [3, 15], [4, 10], [5, 8], [6, 7]]));
      } else {
        deliveredCivil = addWorkingDays(promisedCivil, -r.weighted([[0, 45], [1, 35], [2, 20]]));
        if (civilDiff(civil, deliveredCivil) < 1) deliveredCivil = addWorkingDays(civil, 1);
      }
      deliveredMs = localToUtc(deliveredCivil.y, deliveredCivil.mo, deliveredCivil.d, r.int(9, 20), r.int(0, 59), 0);
    }
    const delivered = deliveredMs !== null && deliveredMs <= M.END_MS;
    const order: OrderRow = {
      f: 'orders',
      t: wholeSecond(t),
      seq: 0,
      id: '',
      c,
      channel,
      amount,
      promised: civilKey(promisedCivil),
      deliveredMs: delivered ? deliveredMs : null,
      status: cancelled ? 'cancelled' : delivered ? 'delivered' : M.END_MS - t < DAY_MS ? 'processing' : 'shipped',
      items,
    };
    this.emit(order);
    st.orders++;
    if (cancelled) st.cancelled++;

    // The invoice, and what happened to it.
    const issued = localToUtc(civil.y, civil.mo, civil.d);
    let change: ChangeType = 'none';
    let reason = '';
    let changedCivil: Civil | null = null;
    let invAmount = amount;
    if (cancelled) {
      change = 'cancellation';
      reason = r.pick(['Order cancelled by customer', 'Order cancelled: out of stock', 'Payment failed']);
      changedCivil = civilAddDays(civil, r.int(0, 2));
    } else {
      const u = r.next();
      if (u < 0.022) {
        change = 'correction';
        reason = r.weighted([
          ['Wrong VAT rate', 30],
          ['Wrong billing address', 20],
          ['Wrong tax id (NIF)', c.segment === 'b2b' ? 30 : 8],
          ['Wrong quantity', 15],
          ['Discount not applied', 20],
        ]);
      } else if (u < 0.038) {
        change = 'credit_note';
        reason = r.weighted([
          ['Price adjustment', 30],
          ['Goodwill compensation', 25],
          ['Duplicate charge', 15],
          ['Damaged on delivery', 20],
        ]);
        invAmount = cents(amount * r.uniform(0.1, 0.6));
      }
      if (change !== 'none') changedCivil = civilAddDays(civil, 2 + Math.min(40, Math.floor(r.lognormal(8, 0.7))));
    }
    let changedMs = changedCivil ? localToUtc(changedCivil.y, changedCivil.mo, changedCivil.d) : null;
    if (changedMs !== null && changedMs > M.END_MS) {
      change = 'none';
      reason = '';
      changedMs = null;
      invAmount = amount;
    }
    const invoice: InvoiceRow = { f: 'invoices', t: order.t, seq: 0, id: '', c, order, change, changedMs, reason, amount: invAmount };
    this.emit(invoice);
    if (change !== 'none') st.invoiceChanges[change]++;
    if ((change === 'correction' || change === 'credit_note') && changedMs !== null) {
      c.inv.push(changedMs);
      if (r.chance(0.7)) {
        const at = changedMs + r.int(0, 3) * DAY_MS + this.rng.weightedIndex(ONLINE_HOUR_WEIGHTS) * HOUR_MS + r.int(0, 3599) * 1000;
        this.createTicket(c, at, {
          category: 'billing',
          type: r.chance(0.6) ? 'complaint' : 'question',
          subjectKey: 'invoice',
          refInvoice: invoice,
        });
      }
      if (r.chance(0.2)) this.createCall(c, changedMs + r.int(0, 3) * DAY_MS + 9 * HOUR_MS + r.int(0, 600) * MINUTE_MS, 'Facturación');
    }

    if (!delivered || deliveredMs === null || deliveredCivil === null) return;
    st.delivered++;
    const dDay = this.dayOf(deliveredMs);
    st.daily.deliveries[dDay] = (st.daily.deliveries[dDay] ?? 0) + 1;
    if (late) {
      st.lateDelivered++;
      st.daily.late[dDay] = (st.daily.late[dDay] ?? 0) + 1;
      c.late.push(deliveredMs);
      const dayAfter = civilAddDays(promisedCivil, 1);
      const overdue = localToUtc(dayAfter.y, dayAfter.mo, dayAfter.d, 8);
      const span = Math.max(HOUR_MS, deliveredMs - overdue);
      if (r.chance(0.45)) {
        this.createTicket(c, overdue + r.next() * span, {
          category: 'delivery',
          type: r.chance(0.55) ? 'complaint' : 'question',
          subjectKey: 'wismo',
          refOrder: order,
          notBefore: deliveredMs,
        });
      }
      if (r.chance(0.2)) this.createCall(c, overdue + r.next() * span, 'Pedidos');
    }

    // Return.
    const retP = (c.segment === 'b2b' ? 0.045 : 0.085) * (late ? 1.7 : 1);
    if (r.chance(retP)) this.createReturn(c, order, deliveredCivil, late);

    // Post-delivery transactional NPS.
    if (r.chance(c.segment === 'b2b' ? 0.3 : 0.7)) {
      const canal =
        channel === 'store' ? 'Tienda' : channel === 'app' ? 'App' : r.chance(0.3) ? 'Web' : 'Correo electrónico';
      const next = civilAddDays(deliveredCivil, 1);
      this.inviteNps(
        c,
        localToUtc(next.y, next.mo, next.d, r.int(17, 20), r.int(0, 59)),
        canal,
        'transaccional',
        c.segment === 'b2b' ? M.RESPONSE_RATES.deliveryB2b : M.RESPONSE_RATES.deliveryB2c,
        8,
      );
    }

    // The smart-home line needs an installation.
    if (!c.onboarded && r.chance(0.2)) this.createOnboarding(c, deliveredCivil);
  }

  private createReturn(c: Customer, order: OrderRow, deliveredCivil: Civil, late: boolean): void {
    const r = this.rng;
    const retCivil = civilAddDays(deliveredCivil, 2 + Math.min(26, Math.floor(r.lognormal(6, 0.7))));
    const retMs = localToUtc(retCivil.y, retCivil.mo, retCivil.d);
    if (retMs > M.END_MS) return;
    const reason = late
      ? r.weighted([['Llegó tarde', 45], ['No es lo que esperaba', 20], ['Cambio de opinión', 15], ['Producto dañado', 12], ['Talla incorrecta', 8]])
      : r.weighted([['Talla incorrecta', 25], ['Producto dañado', 22], ['No es lo que esperaba', 28], ['Cambio de opinión', 20], ['Llegó tarde', 5]]);
    const b2b = c.segment === 'b2b';
    const units = b2b && r.chance(0.4) ? order.items : Math.min(order.items, r.weighted([[1, 70], [2, 22], [3, 8]]));
    const amount = units === order.items ? order.amount : cents((order.amount * units) / order.items);
    const product = b2b && r.chance(0.6) ? r.pick(X.PRODUCTS_B2B) : r.pick(X.PRODUCTS_HOME);
    const row: ReturnRow = { f: 'returns', t: retMs, seq: 0, id: '', c, order, reason, amount, product, units };
    this.emit(row);
    this.stats.returns++;
    const day = this.dayOf(retMs);
    this.stats.daily.returns[day] = (this.stats.daily.returns[day] ?? 0) + 1;
    c.ret.push(retMs);
    const surveyDay = civilAddDays(retCivil, r.int(1, 3));
    this.inviteNps(
      c,
      localToUtc(surveyDay.y, surveyDay.mo, surveyDay.d, r.int(10, 19), r.int(0, 59)),
      b2b ? 'Correo electrónico' : r.chance(0.25) ? 'App' : 'Correo electrónico',
      'transaccional',
      M.RESPONSE_RATES.afterReturn,
      10,
    );
    if (r.chance(0.3)) {
      const at = retMs + r.int(0, 5) * DAY_MS + r.weightedIndex(ONLINE_HOUR_WEIGHTS) * HOUR_MS + r.int(0, 3599) * 1000;
      this.createTicket(c, at, {
        category: 'returns',
        type: r.chance(0.5) ? 'complaint' : 'question',
        subjectKey: 'return',
        refReturn: row,
      });
    }
    if (r.chance(0.12)) this.createCall(c, retMs + r.int(0, 5) * DAY_MS + r.int(9, 20) * HOUR_MS, 'Devoluciones');
  }

  private createOnboarding(c: Customer, deliveredCivil: Civil): void {
    const r = this.rng;
    c.onboarded = true;
    const start = civilAddDays(deliveredCivil, r.int(1, 10));
    const startMs = localToUtc(start.y, start.mo, start.d);
    let attempts = 1;
    let attemptDay = start;
    let success = r.chance(c.segment === 'b2b' ? 0.7 : 0.65);
    while (!success && attempts < 3 && r.chance(attempts === 1 ? 0.7 : 0.5)) {
      attempts++;
      attemptDay = civilAddDays(attemptDay, r.int(2, 9));
      success = r.chance(attempts === 2 ? 0.4 : 0.35);
    }
    const finalMs = localToUtc(attemptDay.y, attemptDay.mo, attemptDay.d);
    if (finalMs > M.END_MS - DAY_MS) return; // still in progress when the data was pulled
    this.onboarding.push({ c, startMs, installedMs: success ? finalMs : null, success, attempts });
    this.stats.onboardings++;
    if (!success) {
      this.stats.onboardingFailed++;
      c.failInst.push(startMs);
    }
    const survey = civilAddDays(attemptDay, 1);
    this.inviteNps(
      c,
      localToUtc(survey.y, survey.mo, survey.d, r.int(11, 20), r.int(0, 59)),
      c.segment === 'b2c' && r.chance(0.4) ? 'App' : 'Correo electrónico',
      'transaccional',
      M.RESPONSE_RATES.afterInstall,
      6,
    );
    const after = finalMs + r.int(0, 2) * DAY_MS;
    if (!success) {
      if (r.chance(0.6)) {
        this.createTicket(c, after + r.weightedIndex(ONLINE_HOUR_WEIGHTS) * HOUR_MS + r.int(0, 3599) * 1000, {
          category: 'product',
          type: 'incident',
          subjectKey: 'install',
        });
      }
      if (r.chance(0.45)) this.createCall(c, after + r.int(9, 20) * HOUR_MS + r.int(0, 59) * MINUTE_MS, 'Instalaciones');
    } else if (r.chance(0.1)) {
      this.createTicket(c, after + r.weightedIndex(ONLINE_HOUR_WEIGHTS) * HOUR_MS + r.int(0, 3599) * 1000, {
        category: 'product',
        type: 'question',
        subjectKey: 'installq',
      });
    }
  }

  // ---------------------------------------------------------------- tickets and CSAT

  private spontaneousTicket(c: Customer, civil: Civil): void {
    const r = this.rng;
    const category = r.weighted<TicketRow['category']>([
      ['product', 35],
      ['account', 25],
      ['delivery', 15],
      ['billing', 13],
      ['returns', 12],
    ]);
    const type =
      category === 'account'
        ? r.weighted<TicketRow['type']>([['task', 60], ['question', 40]])
        : category === 'product'
          ? r.weighted<TicketRow['type']>([['question', 60], ['incident', 25], ['complaint', 15]])
          : r.weighted<TicketRow['type']>([['question', 65], ['complaint', 30], ['task', 5]]);
    this.createTicket(c, this.randomTime(civil, ONLINE_HOUR_WEIGHTS), { category, type, subjectKey: category });
  }

  private createTicket(c: Customer, created0: number, o: TicketOpts): void {
    const r = this.rng;
    const via = r.weighted<TicketRow['via']>([['email', 40], ['web', 30], ['chat', 20], ['phone', 10]]);
    let created = wholeSecond(created0);
    if (via === 'chat' || via === 'phone') created = wholeSecond(addBusinessMinutes(created, r.int(0, 30), SUPPORT_HOURS));
    if (created > M.END_MS || created < M.START_MS) return;
    const b2b = c.segment === 'b2b';
    const priority = b2b
      ? r.weighted<TicketRow['priority']>([['urgent', 8], ['high', 27], ['normal', 55], ['low', 10]])
      : r.weighted<TicketRow['priority']>([['urgent', 3], ['high', 15], ['normal', 65], ['low', 17]]);
    const group: TicketRow['group'] =
      o.category === 'billing' ? 'Billing' : o.category === 'delivery' || o.category === 'returns' ? 'Logistics' : 'Support';
    const mo = localParts(created).mo;
    const load = mo === 12 ? 1.8 : mo === 11 ? 1.5 : mo === 1 ? 1.2 : 1;
    const prio = priority === 'urgent' ? 0.3 : priority === 'high' ? 0.6 : priority === 'low' ? 1.5 : 1;
    const frMinutes = clamp(r.lognormal(50, 1.0) * load * prio, 2, 60 * 24);
    const firstReply = wholeSecond(addBusinessMinutes(created, frMinutes, SUPPORT_HOURS) + r.int(0, 59) * 1000);
    let solved = addBusinessMinutes(firstReply, clamp(r.lognormal(240, 1.2) * load, 10, 60 * 12 * 12), SUPPORT_HOURS);
    if (o.notBefore !== undefined && solved < o.notBefore) solved = o.notBefore + r.lognormal(2, 0.6) * HOUR_MS;
    const reopenP = (o.type === 'complaint' ? 0.24 : o.type === 'incident' ? 0.28 : o.type === 'question' ? 0.11 : 0.07) * (b2b ? 1.1 : 1);
    let reopens = r.chance(reopenP) ? (r.chance(0.15) ? 2 : 1) : 0;
    if (reopens > 0) solved = addBusinessMinutes(solved, clamp(r.lognormal(900, 0.7), 60, 60 * 12 * 8), SUPPORT_HOURS);
    solved = wholeSecond(solved);
    let replies = 1 + r.poisson(0.9) + (reopens > 0 ? reopens + r.poisson(1) : 0);
    let status: TicketRow['status'];
    let updated: number;
    let solvedOut: number | null = null;
    let firstReplyOut: number | null = firstReply;
    let assignee: string | null = r.pick(X.AGENTS[group]);
    if (firstReply > M.END_MS) {
      status = 'new';
      updated = created;
      firstReplyOut = null;
      assignee = null;
      replies = 0;
      reopens = 0;
    } else if (solved > M.END_MS) {
      status = r.chance(0.5) ? 'open' : 'pending';
      updated = firstReply;
      replies = Math.max(1, replies - 1);
      reopens = 0;
    } else if (solved + 4 * DAY_MS <= M.END_MS) {
      status = 'closed';
      updated = solved + 4 * DAY_MS;
      solvedOut = solved;
    } else {
      status = 'solved';
      updated = solved;
      solvedOut = solved;
    }
    const ticket: TicketRow = {
      f: 'tickets',
      t: created,
      seq: 0,
      id: '',
      c,
      num: 0,
      updatedMs: updated,
      solvedMs: solvedOut,
      firstReplyMs: firstReplyOut,
      type: o.type,
      priority,
      status,
      via,
      group,
      assignee,
      category: o.category,
      replies,
      reopens,
      score: null,
      subject: r.pick(X.TICKET_SUBJECTS[o.subjectKey] ?? X.TICKET_SUBJECTS['product'] ?? ['Question']),
      refOrder: o.refOrder ?? null,
      refReturn: o.refReturn ?? null,
      refInvoice: o.refInvoice ?? null,
      flushed: false,
    };
    this.emit(ticket);
    if (reopens > 0) c.reopen.push(created);
    if (created <= M.END_MS - M.EFFECTS.churnReopen.windowDays * DAY_MS) {
      this.stats.churnTickets.c.push(c.idx);
      this.stats.churnTickets.t.push(created);
      this.stats.churnTickets.reopened.push(reopens > 0);
    }
    if (solvedOut !== null && r.chance(b2b ? M.RESPONSE_RATES.csatB2b : M.RESPONSE_RATES.csatB2c)) {
      const at = wholeSecond(solvedOut + clamp(r.lognormal(3, 1.2), 0.05, 96) * HOUR_MS);
      if (at <= M.END_MS) this.schedule({ kind: 'csat', t: at, ticket });
    }
  }

  private scoreCsat(item: ScheduledCsat): void {
    const r = this.rng;
    const ticket = item.ticket;
    const c = ticket.c;
    const t = item.t;
    if (ticket.flushed) throw new Error('CSAT arrives after its ticket was written');
    const invExposed = withinBefore(c.inv, t, M.EFFECTS.csatInvoice.windowDays);
    const lateExposed = withinBefore(c.late, t, M.EFFECTS.csatLate.windowDays);
    let s = (c.segment === 'b2b' ? 0.78 : 0.82) + c.mood / 150;
    if (invExposed) s += M.EFFECTS.csatInvoice.satisfiedShare;
    if (lateExposed) s += M.EFFECTS.csatLate.satisfiedShare;
    if (ticket.reopens > 0) s += M.BACKGROUND.csatReopened;
    if (ticket.priority === 'urgent') s -= 0.04;
    const satisfied = r.chance(clamp(s, 0.05, 0.97));
    const csat = satisfied ? r.weighted([[5, 55], [4, 45]]) : r.weighted([[3, 45], [2, 30], [1, 25]]);
    const ces = satisfied
      ? r.weighted([[7, 35], [6, 35], [5, 20], [4, 10]])
      : r.weighted([[1, 15], [2, 20], [3, 25], [4, 25], [5, 15]]);
    let comment = '';
    const tr = this.rngText;
    if (tr.chance(satisfied ? 0.32 : 0.45)) {
      if (satisfied) comment = csat === 5 ? tr.pick(X.CSAT_POSITIVE) : tr.chance(0.6) ? tr.pick(X.CSAT_POSITIVE) : tr.pick(X.CSAT_NEUTRAL);
      else if (csat === 3 && tr.chance(0.5)) comment = tr.pick(X.CSAT_NEUTRAL);
      else {
        const topic: X.CsatTopic = invExposed && tr.chance(0.7)
          ? 'invoice'
          : lateExposed && tr.chance(0.7)
            ? 'late'
            : ticket.category === 'returns' && tr.chance(0.6)
              ? 'refund'
              : 'generic';
        comment = tr.pick(X.CSAT_NEGATIVE[topic]);
      }
    }
    ticket.score = csat;
    this.emit({ f: 'csat', t, seq: 0, id: '', c, ticket, csat, ces, comment });
    const st = this.stats;
    st.csatAll.n++;
    if (satisfied) st.csatAll.satisfied++;
    const inv = invExposed ? st.csatInvoice.exposed : st.csatInvoice.unexposed;
    inv.n++;
    if (csat >= 4) inv.satisfied++;
    const lt = lateExposed ? st.csatLate.exposed : st.csatLate.unexposed;
    lt.n++;
    if (csat >= 4) lt.satisfied++;
  }

  // ---------------------------------------------------------------- calls

  private spontaneousCall(c: Customer, civil: Civil): void {
    const r = this.rng;
    const queue = r.weighted([['Pedidos', 35], ['Atención general', 30], ['Facturación', 15], ['Devoluciones', 15], ['Instalaciones', 5]]);
    this.createCall(c, localToUtc(civil.y, civil.mo, civil.d, r.weighted([[9, 8], [10, 12], [11, 12], [12, 11], [13, 8], [16, 9], [17, 10], [18, 9], [19, 7], [20, 4]]), r.int(0, 59), r.int(0, 59)), queue);
  }

  private createCall(c: Customer, t0: number, queue: string): void {
    const r = this.rng;
    const t = wholeSecond(addBusinessMinutes(t0, 0, CALL_HOURS)) + r.int(0, 59) * 1000;
    if (t > M.END_MS - HOUR_MS || t < M.START_MS) return;
    const p = localParts(t);
    const load = (p.mo === 12 ? 2.2 : p.mo === 11 ? 1.6 : p.mo === 1 ? 1.3 : 1) * (p.dow === 1 ? 1.3 : 1) * (p.h >= 10 && p.h < 13 ? 1.2 : 1);
    const offered = r.lognormal(22, 0.9) * load;
    const patience = r.chance(0.04) ? r.uniform(1, 5) : r.lognormal(150, 0.7);
    const answered = patience >= offered;
    const wait = Math.max(1, Math.round(answered ? offered : patience));
    const talkMul = queue === 'Instalaciones' ? 1.5 : queue === 'Facturación' ? 1.2 : 1;
    const talk = answered ? Math.round(clamp(r.lognormal(290 * talkMul, 0.5), 25, 3600)) : 0;
    const hold = answered && r.chance(0.4) ? Math.round(clamp(r.lognormal(45, 0.7), 5, 900)) : 0;
    const wrap = answered ? Math.round(clamp(r.lognormal(40, 0.5), 5, 600)) : 0;
    const fcr = answered && r.chance(queue === 'Instalaciones' ? 0.55 : queue === 'Facturación' ? 0.68 : 0.75);
    let sat: number | null = null;
    if (answered && r.chance(0.3)) {
      const ok = r.chance(clamp(0.82 - (fcr ? 0 : 0.3) - (wait > 120 ? 0.1 : 0) + c.mood / 200, 0.05, 0.97));
      sat = ok ? r.weighted([[5, 55], [4, 45]]) : r.weighted([[3, 45], [2, 30], [1, 25]]);
    }
    const row: CallRow = { f: 'calls', t, seq: 0, id: '', c, queue, answered, wait, talk, hold, wrap, fcr, agent: answered ? r.pick(X.CALL_AGENTS) : '', sat };
    this.emit(row);
    if (answered && r.chance(0.6)) {
      this.inviteNps(c, t + (wait + talk + hold) * 1000, 'Teléfono', 'transaccional', M.RESPONSE_RATES.afterCall, 0.03);
    }
  }

  // ---------------------------------------------------------------- NPS

  private relationalWave(civil: Civil, day: number, segment: Segment): void {
    const r = this.rng;
    for (const c of this.customers) {
      if (c.segment !== segment || c.churnMs !== null || c.signupDay > day - 30) continue;
      if (segment === 'b2c' && !r.chance(M.B2C_WAVE_SAMPLE)) continue;
      const at = localToUtc(civil.y, civil.mo, civil.d, r.int(9, 10), r.int(0, 59));
      const canal = segment === 'b2b' || r.chance(0.85) ? 'Correo electrónico' : 'Web';
      this.inviteNps(
        c,
        at,
        canal,
        'relacional',
        segment === 'b2b' ? M.RESPONSE_RATES.relationalB2b : M.RESPONSE_RATES.relationalB2c,
        segment === 'b2b' ? 30 : 20,
      );
    }
  }

  private inviteCount(segment: Segment, tipo: string, answered: boolean): void {
    const key = `${segment}/${tipo}`;
    let e = this.stats.invites.get(key);
    if (!e) {
      e = { invited: 0, answered: 0 };
      this.stats.invites.set(key, e);
    }
    e.invited++;
    if (answered) e.answered++;
  }

  private inviteNps(c: Customer, inviteMs0: number, canal: string, tipo: 'relacional' | 'transaccional', responseP: number, delayHours: number): void {
    const r = this.rng;
    // The survey tool shows minutes only, so its instants are whole minutes.
    const inviteMs = wholeMinute(inviteMs0);
    if (inviteMs > M.END_MS || inviteMs < M.START_MS) return;
    if (r.chance(responseP)) {
      const cap = tipo === 'relacional' ? 14 * 24 : 5 * 24;
      const at = wholeMinute(inviteMs + clamp(r.lognormal(delayHours, 1.0), 0.02, cap) * HOUR_MS);
      if (at <= M.END_MS) {
        this.schedule({ kind: 'nps', t: at, inviteMs, c, canal, tipo });
        return;
      }
    }
    this.emitUnanswered(c, inviteMs, canal, tipo);
  }

  private emitUnanswered(c: Customer, inviteMs: number, canal: string, tipo: 'relacional' | 'transaccional'): void {
    if (this.emit({ f: 'nps', t: inviteMs, seq: 0, id: '', c, segment: c.segment, canal, tipo, score: null, comment: '', blemish: false })) {
      this.inviteCount(c.segment, tipo, false);
    }
  }

  private scoreNps(item: ScheduledNps): void {
    const r = this.rng;
    const { c, t, canal, tipo } = item;
    if (c.churnMs !== null && c.churnMs <= t) {
      this.emitUnanswered(c, item.inviteMs, canal, tipo);
      return;
    }
    const retExposed = withinBefore(c.ret, t, M.EFFECTS.npsReturn.windowDays);
    const instExposed = withinAfterStart(c.failInst, t, M.EFFECTS.npsFailedInstall.windowDays);
    const lateExposed = withinBefore(c.late, t, M.BACKGROUND.npsLate.windowDays);
    const invExposed = withinBefore(c.inv, t, M.BACKGROUND.npsInvoice.windowDays);
    let e = tipo === 'relacional' ? (c.segment === 'b2b' ? 12 : 18) : c.segment === 'b2b' ? 22 : 30;
    e += M.BACKGROUND.npsChannel[canal] ?? 0;
    e += c.mood;
    if (localParts(t).mo === 12) e += M.BACKGROUND.npsDecember;
    if (retExposed) e += M.EFFECTS.npsReturn.npsPoints;
    if (instExposed) e += M.EFFECTS.npsFailedInstall.npsPoints;
    if (lateExposed) e += M.BACKGROUND.npsLate.npsPoints;
    if (invExposed) e += M.BACKGROUND.npsInvoice.npsPoints;
    const passive = 0.35;
    const pProm = clamp((1 - passive + e / 100) / 2, 0.02, 0.68);
    const pDet = 1 - passive - pProm;
    const u = r.next();
    let score: number;
    let cat: 'promoter' | 'passive' | 'detractor';
    if (u < pProm) {
      cat = 'promoter';
      score = r.chance(0.55) ? 10 : 9;
    } else if (u < pProm + pDet) {
      cat = 'detractor';
      score = r.weightedIndex([2, 1, 2, 3, 5, 9, 12]);
    } else {
      cat = 'passive';
      score = r.chance(0.5) ? 8 : 7;
    }
    const comment = this.npsComment(cat, { ret: retExposed, inst: instExposed, late: lateExposed, inv: invExposed }, canal, t);

    // Planted blemishes: one answer without a customer id, two impossible scores.
    let customer: Customer | null = c;
    let written = score;
    if (!this.blankDone && canal === 'Web' && t >= localToUtc(2025, 4, 1)) {
      customer = null;
    } else if (this.outOfRangeDone === 0 && score >= 9 && t >= localToUtc(2025, 5, 15)) {
      written = 11;
    } else if (this.outOfRangeDone === 1 && score <= 6 && t >= localToUtc(2025, 9, 20)) {
      written = -1;
    }
    const blemish = customer === null || written !== score;
    const row: NpsRow = { f: 'nps', t, seq: 0, id: '', c: customer, segment: c.segment, canal, tipo, score: written, comment, blemish };
    if (!this.emit(row)) return;
    if (customer === null) this.blankDone = true;
    if (written !== score) this.outOfRangeDone++;
    this.inviteCount(c.segment, tipo, true);
    if (blemish) return;
    const st = this.stats;
    npsAdd(st.npsAll, score);
    npsAdd(retExposed ? st.npsReturn.exposed : st.npsReturn.unexposed, score);
    npsAdd(instExposed ? st.npsInstall.exposed : st.npsInstall.unexposed, score);
    let byCanal = st.npsByCanal.get(canal);
    if (!byCanal) {
      byCanal = NPS_EMPTY();
      st.npsByCanal.set(canal, byCanal);
    }
    npsAdd(byCanal, score);
  }

  private npsComment(
    cat: 'promoter' | 'passive' | 'detractor',
    ex: { ret: boolean; inst: boolean; late: boolean; inv: boolean },
    canal: string,
    t: number,
  ): string {
    const tr = this.rngText;
    const p = cat === 'detractor' ? 0.55 : cat === 'passive' ? 0.3 : 0.38;
    if (!tr.chance(p)) return '';
    if (cat === 'detractor') {
      if (!this.multilineDone && ex.ret && t >= localToUtc(2025, 3, 1)) {
        this.multilineDone = true;
        return X.NPS_MULTILINE;
      }
      if (tr.chance(0.05)) return tr.pick(X.NPS_QUOTED.detractor);
      const topic = tr.weighted<X.NpsTopic>([
        ['devolucion', ex.ret ? 6 : 0.7],
        ['instalacion', ex.inst ? 6 : 0],
        ['tarde', ex.late ? 4 : 1],
        ['factura', ex.inv ? 4 : 0.5],
        ['nadie', 1.2],
        ['telefono', canal === 'Teléfono' ? 3 : 0],
        ['precio', 1],
      ]);
      return tr.pick(X.NPS_DETRACTOR[topic]);
    }
    if (cat === 'passive') return tr.chance(0.05) ? tr.pick(X.NPS_QUOTED.passive) : tr.pick(X.NPS_PASSIVE);
    return tr.chance(0.05) ? tr.pick(X.NPS_QUOTED.promoter) : tr.pick(X.NPS_PROMOTER);
  }

  private runScheduled(day: number): void {
    const list = this.scheduled[day];
    if (!list) return;
    list.sort((a, b) => a.t - b.t);
    for (const item of list) {
      if (item.kind === 'nps') this.scoreNps(item);
      else this.scoreCsat(item);
    }
    this.scheduled[day] = [];
  }
}
