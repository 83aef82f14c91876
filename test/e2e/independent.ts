/**
 * Independent calculators for the end-to-end tests: they read the raw files with papaparse,
 * iconv-lite and JSON.parse and compute the expected numbers in plain code, without importing
 * anything from `src/`. When a test and cxm disagree, one of the two definitions is wrong; each
 * function below states its definition so the disagreement can be settled by reading both.
 *
 * Definitions follow the metric catalogue (`cxm metrics`) where it makes a choice a reader
 * could make differently (short abandons, the CSAT rule, what counts as resolved); each such
 * choice is named in a comment.
 */
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO, REAL } from './run.js';

// ---------------------------------------------------------------------------------------------
// Reading

export type Row = Record<string, string>;

export interface CsvFile {
  /** The decoded text, BOM removed. */
  text: string;
  header: string[];
  rows: Row[];
}

/** Parses a CSV file with papaparse: `encoding` windows-1252 decodes with iconv-lite. */
export function readCsv(file: string, options: { encoding?: 'utf8' | 'windows-1252'; delimiter?: string } = {}): CsvFile {
  const bytes = readFileSync(file);
  let text = options.encoding === 'windows-1252' ? iconv.decode(bytes, 'windows-1252') : bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = Papa.parse<Row>(text, { header: true, delimiter: options.delimiter ?? ',', skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`${file}: ${parsed.errors[0]!.message} (row ${parsed.errors[0]!.row})`);
  return { text, header: parsed.meta.fields ?? [], rows: parsed.data };
}

/** The 1-based physical line on which `needle` first appears in `text`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`not found: ${needle}`);
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// ---------------------------------------------------------------------------------------------
// Small statistics

/** The median with the two middle values averaged when n is even. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new Error('median of nothing');
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export interface Share {
  hits: number;
  n: number;
  value: number;
}

export function share(hits: number, n: number): Share {
  return { hits, n, value: hits / n };
}

export interface Nps {
  promoters: number;
  passives: number;
  detractors: number;
  n: number;
  value: number;
}

export function npsOf(scores: readonly number[]): Nps {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const n = scores.length;
  return { promoters, passives: n - promoters - detractors, detractors, n, value: (100 * (promoters - detractors)) / n };
}

const WHOLE = /^-?\d+$/;

// ---------------------------------------------------------------------------------------------
// The demo company (fixtures/demo, see its README)

export const demoFile = (name: string) => path.join(DEMO, name);

export interface DemoTicket {
  id: number;
  created_at: string;
  solved_at: string | null;
  first_reply_at: string | null;
  status: string;
  via: { channel: string };
  metrics: { replies: number; reopens: number };
  satisfaction_rating: { score: number | null };
}

let demoCache: ReturnType<typeof loadDemo> | undefined;

function loadDemo() {
  const nps = readCsv(demoFile('encuestas_nps.csv'), { delimiter: ';' });
  const csat = readCsv(demoFile('csat_survey.csv'));
  const calls = readCsv(demoFile('llamadas.csv'));
  const returns = readCsv(demoFile('devoluciones.csv'), { encoding: 'windows-1252', delimiter: ';' });
  const invoices = readCsv(demoFile('invoice_changes.csv'));
  const ticketsRaw = (JSON.parse(readFileSync(demoFile('tickets.json'), 'utf8')) as { tickets: DemoTicket[] }).tickets;
  const orders = readFileSync(demoFile('orders.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { order_id: string; ordered_at: string; promised_date: string | null; delivered_at: string | null; items: number });
  return { nps, csat, calls, returns, invoices, ticketsRaw, orders };
}

/** The raw demo files, parsed once per test file. */
export function demo() {
  return (demoCache ??= loadDemo());
}

/** `encuestas_nps.csv` rows whose `Puntuación` is a whole 0-10 score (invited rows are blank, the two bad rows hold 11 and -1). */
export function demoNpsAnswers(filter: (row: Row) => boolean = () => true): Row[] {
  return demo().nps.rows.filter((r) => {
    const s = r['Puntuación']!.trim();
    return WHOLE.test(s) && Number(s) >= 0 && Number(s) <= 10 && filter(r);
  });
}

/** NPS over the valid answers; `filter` restricts the rows (a month, a channel). */
export function demoNps(filter?: (row: Row) => boolean): Nps {
  return npsOf(demoNpsAnswers(filter).map((r) => Number(r['Puntuación'])));
}

/**
 * Survey response rate: rows with a valid score or `Respondida` over every row that is not
 * rejected (the two out-of-range scores are rejected, so they are neither invitations nor answers).
 */
export function demoResponseRate(): Share {
  const rows = demo().nps.rows;
  const rejected = rows.filter((r) => r['Puntuación']!.trim() !== '').length - demoNpsAnswers().length;
  return share(demoNpsAnswers().length, rows.length - rejected);
}

/** Tickets with the duplicates (same id, re-exported) dropped: the first copy of each id. */
export function demoTickets(): DemoTicket[] {
  const seen = new Set<number>();
  return demo().ticketsRaw.filter((t) => (seen.has(t.id) ? false : (seen.add(t.id), true)));
}

/**
 * CSAT, cxm's rule (src/metrics/surveys.ts): every satisfaction answer counts once — the
 * `csat` of csat_survey.csv, the `Satisfacción` of llamadas.csv, and a ticket's
 * `satisfaction_rating.score` only when no survey answer names that ticket (the help desk copies
 * the survey answer onto the ticket). Satisfied = 4 or 5 on 1-5, over all answers.
 */
export function demoCsat(): Share & { survey: number; call: number; ticket: number; mean: number } {
  const { csat, calls } = demo();
  const surveyed = new Set(csat.rows.map((r) => r['ticket_id']!).filter((id) => id !== ''));
  const survey = csat.rows.map((r) => Number(r['csat'])).filter((s) => s >= 1 && s <= 5);
  const call = calls.rows.map((r) => r['Satisfacción']!.trim()).filter((s) => s !== '').map(Number);
  const ticket = demoTickets()
    .filter((t) => t.satisfaction_rating.score !== null && !surveyed.has(String(t.id)))
    .map((t) => t.satisfaction_rating.score!);
  const all = [...survey, ...call, ...ticket];
  return { ...share(all.filter((s) => s >= 4).length, all.length), survey: survey.length, call: call.length, ticket: ticket.length, mean: mean(all) };
}

/** CES: the mean `ces` (1-7, higher is easier) of csat_survey.csv. */
export function demoCes(): { mean: number; n: number } {
  const ces = demo().csat.rows.map((r) => r['ces']!).filter((s) => s !== '').map(Number);
  return { mean: mean(ces), n: ces.length };
}

/**
 * Abandonment, cxm's rule (src/metrics/calls.ts): abandoned calls (`Atendida` = No) whose wait is
 * 5 s or more, over those plus the answered calls; abandons under 5 s (misdials) leave both sides.
 */
export function demoAbandonment(): Share & { short: number; offered: number } {
  const rows = demo().calls.rows;
  const answered = rows.filter((r) => r['Atendida'] === 'Sí').length;
  const abandoned = rows.filter((r) => r['Atendida'] === 'No');
  const short = abandoned.filter((r) => Number(r['Espera (s)']) < 5).length;
  const counted = abandoned.length - short;
  return { ...share(counted, counted + answered), short, offered: rows.length };
}

/** AHT of answered calls: talk + hold + wrap-up seconds. */
export function demoAht(): { mean: number; n: number } {
  const answered = demo().calls.rows.filter((r) => r['Atendida'] === 'Sí');
  const handle = answered.map((r) => Number(r['Conversación (s)']) + Number(r['Espera en retención (s)'] || 0) + Number(r['Postllamada (s)'] || 0));
  return { mean: mean(handle), n: handle.length };
}

/** Return rate: orders whose id appears in a return's `Nº pedido`, over all orders. */
export function demoReturnRate(): Share {
  const returned = new Set(demo().returns.rows.map((r) => r['Nº pedido']!));
  const orders = demo().orders;
  return share(orders.filter((o) => returned.has(o.order_id)).length, orders.length);
}

/** On-time delivery: delivered orders whose local delivery date is not after `promised_date`. */
export function demoOnTime(): Share {
  const both = demo().orders.filter((o) => o.delivered_at && o.promised_date);
  // delivered_at carries its Madrid offset, so its first 10 characters are the local date.
  return share(both.filter((o) => o.delivered_at!.slice(0, 10) <= o.promised_date!).length, both.length);
}

/** Invoice change rate: invoices whose `change_type` is not `none`, over all invoices. */
export function demoInvoiceChange(): Share {
  const rows = demo().invoices.rows;
  return share(rows.filter((r) => r['change_type'] !== 'none' && r['change_type'] !== '').length, rows.length);
}

/** Resolved: a `solved_at`, or status solved/closed (cxm's definition, src/metrics/tickets.ts). */
const demoResolved = (t: DemoTicket) => t.solved_at !== null || t.status === 'solved' || t.status === 'closed';

/** Reopen rate over resolved tickets: reopened at least once. */
export function demoReopenRate(): Share {
  const resolved = demoTickets().filter(demoResolved);
  return share(resolved.filter((t) => t.metrics.reopens > 0).length, resolved.length);
}

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

/** First response time: median seconds from `created_at` to `first_reply_at`. */
export function demoFirstResponse(): { median: number; n: number } {
  const d = demoTickets()
    .filter((t) => t.first_reply_at !== null)
    .map((t) => seconds(t.created_at, t.first_reply_at!));
  return { median: median(d), n: d.length };
}

/** Resolution time: median seconds from `created_at` to `solved_at`. */
export function demoResolutionTime(): { median: number; n: number } {
  const d = demoTickets()
    .filter((t) => t.solved_at !== null)
    .map((t) => seconds(t.created_at, t.solved_at!));
  return { median: median(d), n: d.length };
}

// ---------------------------------------------------------------------------------------------
// The real public exports (../shared/data/real, see each SOURCE.md)

export const realFile = (...parts: string[]) => path.join(REAL, ...parts);

/** Computes once: the real files take a while to parse and several tests ask. */
function once<T>(compute: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= compute());
}

/** IBM Telco: `Churn` = Yes over all customers; `TotalCharges` blanks (a single space). */
function readTelco(): { churn: Share; blankTotalCharges: number; rows: number } {
  const { rows } = readCsv(realFile('telco-churn', 'Telco-Customer-Churn.csv'));
  return {
    churn: share(rows.filter((r) => r['Churn'] === 'Yes').length, rows.length),
    blankTotalCharges: rows.filter((r) => r['TotalCharges']!.trim() === '').length,
    rows: rows.length,
  };
}

/**
 * PwC call centre: abandoned = `answered (Y/N)` N (their wait is blank, so none is a short
 * abandon); AHT, speed of answer, CSAT and FCR over answered calls only (abandoned rows carry a
 * talk duration of 0 and blank ratings, which must not be averaged in).
 */
function readPwc() {
  const { rows } = readCsv(realFile('call-center-pwc', '01 Call-Center-Dataset.csv'));
  const answered = rows.filter((r) => r['answered (Y/N)'] === 'Y');
  const ratings = answered.map((r) => r['satisfaction rating']!).filter((s) => s !== '').map(Number);
  return {
    rows: rows.length,
    abandonment: share(rows.filter((r) => r['answered (Y/N)'] === 'N').length, rows.length),
    aht: { mean: mean(answered.map((r) => Number(r['talk duration']))), n: answered.length },
    asa: { mean: mean(answered.map((r) => Number(r['speed of answer(seconds)']))), n: answered.length },
    csat: share(ratings.filter((s) => s >= 4).length, ratings.length),
    fcr: share(answered.filter((r) => r['resolved'] === 'Y').length, answered.length),
    monthFirstProof: rows.find((r) => Number(r['date']!.split('/')[1]) > 12)!['date']!,
  };
}

/**
 * Zendesk (Plum): `Satisfaction Score` is blank, `Offered` (sent, not answered) or 1-5. CSAT =
 * 4-5 over the 1-5 scores; response rate = scores / (scores + Offered). Resolved = a real
 * `Solved at` (1900-01-01 is Zendesk's placeholder for "not solved"). Durations in the minutes
 * columns are converted to seconds.
 */
function readZendesk() {
  const { rows } = readCsv(realFile('zendesk-plum', 'DA Assignment.csv'));
  const score = (r: Row) => r['Satisfaction Score']!;
  const scores = rows.filter((r) => /^[1-5]$/.test(score(r))).map((r) => Number(score(r)));
  const offered = rows.filter((r) => score(r) === 'Offered').length;
  const placeholder = (r: Row) => r['Solved at']!.startsWith('1900-01-01');
  const solved = rows.filter((r) => r['Solved at'] !== '' && !placeholder(r));
  // Datetimes without a zone, read as UTC like cxm does by default.
  const at = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
  const minutes = (column: string) => rows.map((r) => r[column]!).filter((v) => v !== '').map((v) => Number(v) * 60);
  const firstReply = minutes('First reply time in minutes within business hours');
  return {
    rows: rows.length,
    ids: new Set(rows.map((r) => r['Id'])).size,
    blankScores: rows.filter((r) => score(r) === '').length,
    offered,
    scores: scores.length,
    csat: share(scores.filter((s) => s >= 4).length, scores.length),
    responseRate: share(scores.length, scores.length + offered),
    placeholders: rows.filter(placeholder).length,
    resolved: solved.length,
    reopenRate: share(solved.filter((r) => Number(r['Reopens']) > 0).length, solved.length),
    resolutionMedian: median(solved.map((r) => (at(r['Solved at']!) - at(r['Created at']!)) / 1000)),
    resolutionBusinessMedian: median(minutes('Full resolution time in minutes within business hours')),
    firstReplyBusiness: { median: median(firstReply), n: firstReply.length },
  };
}

/** Kaggle support tickets: CSAT = 4-5 over the ratings, which only `Closed` tickets carry (written `3.0`). */
function readSupportTickets() {
  const { rows } = readCsv(realFile('support-tickets', 'customer_support_tickets.csv'));
  const rated = rows.filter((r) => r['Customer Satisfaction Rating'] !== '');
  const closed = rows.filter((r) => r['Ticket Status'] === 'Closed');
  return {
    rows: rows.length,
    closed: closed.length,
    ratedOpen: rated.filter((r) => r['Ticket Status'] !== 'Closed').length,
    csat: share(rated.filter((r) => Number(r['Customer Satisfaction Rating']) >= 4).length, rated.length),
    csatMean: mean(rated.map((r) => Number(r['Customer Satisfaction Rating']))),
  };
}

/** Bank call centre (tab-separated): `outcome` PHANTOM rows are virtual calls the config excludes. */
function readBank() {
  const { rows } = readCsv(realFile('bank-call-center-1999', 'data_anonymous_bank_february.txt'), { delimiter: '\t' });
  const sentinel = (column: string) => rows.filter((r) => r[column] === '0:00:00').length;
  return {
    rows: rows.length,
    phantom: rows.filter((r) => r['outcome'] === 'PHANTOM').length,
    negativeVruTime: rows.filter((r) => Number(r['vru_time']) < 0).length,
    qStartSentinels: sentinel('q_start'),
    days: [...new Set(rows.map((r) => r['date']!))].sort(),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Comcast: the first and last complaint day from the unambiguous `Date_month_year` (`22-Apr-15`),
 * and how many `Date` values (DD-MM-YY) are ambiguous (both parts 12 or less).
 */
function readComcast() {
  const { rows } = readCsv(realFile('comcast-complaints', 'Comcast_telecom_complaints_data.csv'));
  const iso = (text: string) => {
    const [d, mon, yy] = text.split('-');
    return `20${yy}-${String(MONTHS.indexOf(mon!) + 1).padStart(2, '0')}-${d!.padStart(2, '0')}`;
  };
  const days = rows.map((r) => iso(r['Date_month_year']!)).sort();
  const ambiguous = rows.filter((r) => {
    const [a, b] = r['Date']!.split('-').map(Number);
    return a! <= 12 && b! <= 12 && a !== b;
  }).length;
  // Date (DD-MM-YY) and Date_month_year agree on every row when Date is read day-first
  const agree = rows.every((r) => {
    const [d, m, y] = r['Date']!.split('-');
    return iso(r['Date_month_year']!) === `20${y}-${m}-${d}`;
  });
  return { rows: rows.length, first: days[0]!, last: days[days.length - 1]!, ambiguous, agree };
}

/**
 * The Carpentries: NPS over the 0-10 answers of the three survey files; 2017 leaves unanswered
 * cells blank, the 2020 files write `NA`.
 */
function readCarpentries() {
  const files: [string, string][] = [
    ['2017-10-longterm/longterm_October2017.csv', 'Likely-To-Recommend'],
    ['2020-01-longterm/20200326-longterm-other_questions-no-open.csv', 'recommendation_score'],
    ['2020-12-longterm/2020-12-long-term-other_questions-no-open.csv', 'recommendation_score'],
  ];
  const scores: number[] = [];
  const perFile: { rows: number; answers: number; na: number }[] = [];
  for (const [file, column] of files) {
    const { rows } = readCsv(realFile('carpentries-nps', file));
    const values = rows.map((r) => r[column]!.trim());
    const answers = values.filter((v) => WHOLE.test(v)).map(Number);
    scores.push(...answers);
    perFile.push({ rows: rows.length, answers: answers.length, na: values.filter((v) => v === 'NA').length });
  }
  return { nps: npsOf(scores), perFile };
}

// Each real-data calculator parses its file once per test file.
export const telco = once(readTelco);
export const pwc = once(readPwc);
export const zendesk = once(readZendesk);
export const supportTickets = once(readSupportTickets);
export const bank = once(readBank);
export const comcast = once(readComcast);
export const carpentries = once(readCarpentries);

/** Data rows of a CSV (records, not physical lines). */
export function countRows(file: string, delimiter = ','): number {
  return readCsv(file, { delimiter }).rows.length;
}
