import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type GenerateResult } from './generate-demo.js';
import { END_MS, SIZE_LIMIT_BYTES } from './demo/model.js';
import { localToUtc } from './demo/time.js';

const DAY = 86_400_000;
const FIXTURES = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));

/** RFC 4180 records (quoted delimiters, quotes and line breaks; CRLF or LF). */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

type Table = { header: string[]; rows: Record<string, string>[] };

function table(text: string, delimiter: string): Table {
  const [header = [], ...records] = parseCsv(text, delimiter);
  return {
    header,
    rows: records.map((r, n) => {
      if (r.length !== header.length) throw new Error(`record ${n + 1} has ${r.length} fields, the header ${header.length}`);
      return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']));
    }),
  };
}

/** Madrid local `dd/mm/yyyy[ HH:mm]` or `yyyy-mm-dd` to an instant. */
function dmyToMs(s: string): number {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}))?$/.exec(s);
  if (!m) throw new Error(`not dd/mm/yyyy: ${s}`);
  return localToUtc(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}
function ymdToMs(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not yyyy-mm-dd: ${s}`);
  return localToUtc(Number(m[1]), Number(m[2]), Number(m[3]));
}

function nps(scores: number[]): number {
  const p = scores.filter((s) => s >= 9).length;
  const d = scores.filter((s) => s <= 6).length;
  return (100 * (p - d)) / scores.length;
}
const share = (xs: boolean[]): number => xs.filter(Boolean).length / xs.length;

interface Order {
  order_id: string;
  customer_id: string;
  ordered_at: string;
  channel: string;
  amount: number;
  promised_date: string;
  delivered_at: string | null;
  status: string;
  items: number;
}
interface Ticket {
  id: number;
  created_at: string;
  updated_at: string;
  solved_at: string | null;
  first_reply_at: string | null;
  type: string;
  priority: string;
  status: string;
  via: { channel: string };
  requester_external_id: string;
  group: string;
  assignee: string | null;
  category: string;
  metrics: { replies: number; reopens: number };
  satisfaction_rating: { score: number | null };
  subject: string;
}

let dirA = '';
let dirB = '';
let result: GenerateResult;
const text = (name: string): string => readFileSync(join(dirA, name), 'utf8');

beforeAll(() => {
  dirA = mkdtempSync(join(tmpdir(), 'cxm-demo-a-'));
  dirB = mkdtempSync(join(tmpdir(), 'cxm-demo-b-'));
  result = generateDemo({ outDir: dirA, customers: 2000, seed: 42 });
  generateDemo({ outDir: dirB, customers: 2000, seed: 42 });
});

afterAll(() => {
  for (const d of [dirA, dirB]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('generate-demo: determinism and size', () => {
  it('gives byte-identical files for the same seed', () => {
    const a = readdirSync(dirA).sort();
    expect(a).toEqual(readdirSync(dirB).sort());
    expect(a).toHaveLength(13);
    for (const name of a) expect(readFileSync(join(dirA, name)).equals(readFileSync(join(dirB, name))), name).toBe(true);
  });

  it('gives different data for another seed', () => {
    const dirC = mkdtempSync(join(tmpdir(), 'cxm-demo-c-'));
    try {
      generateDemo({ outDir: dirC, customers: 200, seed: 7, readme: false });
      expect(readFileSync(join(dirC, 'orders.ndjson')).equals(readFileSync(join(dirA, 'orders.ndjson')))).toBe(false);
    } finally {
      rmSync(dirC, { recursive: true, force: true });
    }
  });

  it('writes less than 5 MB with the defaults', () => {
    const total = readdirSync(dirA).reduce((s, n) => s + statSync(join(dirA, n)).size, 0);
    expect(total).toBe(result.totalBytes);
    expect(total).toBeLessThan(SIZE_LIMIT_BYTES);
  });

  it('matches the committed fixtures/demo (regenerate with npm run demo)', () => {
    if (!existsSync(FIXTURES)) return;
    for (const name of readdirSync(dirA)) {
      expect(readFileSync(join(FIXTURES, name)).equals(readFileSync(join(dirA, name))), name).toBe(true);
    }
  });
});

describe('generate-demo: formats', () => {
  it('writes devoluciones.csv in Windows-1252 with ; CRLF, decimal commas and day-first dates', () => {
    const buf = readFileSync(join(dirA, 'devoluciones.csv'));
    expect(buf.includes(0xf3)).toBe(true); // ó
    // No UTF-8 two-byte sequence for Latin-1 letters (0xC2/0xC3 followed by a continuation byte).
    for (let i = 0; i < buf.length - 1; i++) {
      const b = buf[i] ?? 0;
      const next = buf[i + 1] ?? 0;
      if ((b === 0xc2 || b === 0xc3) && next >= 0x80 && next <= 0xbf) throw new Error(`UTF-8 sequence at byte ${i}`);
    }
    expect(buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const decoded = iconv.decode(buf, 'win1252');
    expect(decoded.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    const t = table(decoded, ';');
    expect(t.header.join(';')).toBe('Nº devolución;Nº pedido;Cliente;Fecha devolución;Motivo;Importe;Producto;Unidades');
    const bad = t.rows.filter(
      (r) =>
        !/^DEV-\d{5}$/.test(r['Nº devolución'] ?? '') ||
        !/^\d{1,3}(\.\d{3})*,\d{2}$/.test(r['Importe'] ?? '') ||
        !/^\d{2}\/\d{2}\/\d{4}$/.test(r['Fecha devolución'] ?? ''),
    );
    expect(bad).toEqual([]);
    expect(t.rows.some((r) => /\./.test(r['Importe'] ?? ''))).toBe(true);
    expect(t.rows.slice(0, 10).some((r) => Number(r['Fecha devolución']?.slice(0, 2)) > 12)).toBe(true);
    expect(new Set(t.rows.map((r) => r['Motivo']))).toEqual(
      new Set(['Talla incorrecta', 'Producto dañado', 'No es lo que esperaba', 'Llegó tarde', 'Cambio de opinión']),
    );
  });

  it('writes encuestas_nps.csv with a BOM, ; and dd/mm/yyyy HH:mm', () => {
    const buf = readFileSync(join(dirA, 'encuestas_nps.csv'));
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const t = table(text('encuestas_nps.csv').slice(1), ';');
    expect(t.header.join(';')).toBe('ID respuesta;Fecha;Cliente;Canal;Tipo de encuesta;Segmento;Puntuación;Comentario;Estado');
    const bad = t.rows.filter(
      (r) =>
        !/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/.test(r['Fecha'] ?? '') ||
        !(r['Estado'] === 'Enviada' ? r['Puntuación'] === '' : r['Estado'] === 'Respondida' && /^-?\d+$/.test(r['Puntuación'] ?? '')),
    );
    expect(bad).toEqual([]);
    expect(new Set(t.rows.map((r) => r['Canal']))).toEqual(new Set(['Correo electrónico', 'Web', 'Teléfono', 'Tienda', 'App']));
    const answered = t.rows.filter((r) => r['Estado'] === 'Respondida');
    const withComment = answered.filter((r) => r['Comentario'] !== '').length / answered.length;
    expect(withComment).toBeGreaterThan(0.3);
    expect(withComment).toBeLessThan(0.5);
    expect(answered.some((r) => r['Comentario']?.includes(';'))).toBe(true);
    expect(answered.some((r) => r['Comentario']?.includes('"'))).toBe(true);
    expect(answered.filter((r) => r['Comentario']?.includes('\n'))).toHaveLength(1);
  });

  it('has the response rates of the brief', () => {
    const t = table(text('encuestas_nps.csv').slice(1), ';');
    const rate = (segment: string, tipo: string): number =>
      share(t.rows.filter((r) => r['Segmento'] === segment && r['Tipo de encuesta'] === tipo).map((r) => r['Estado'] === 'Respondida'));
    expect(rate('b2c', 'transaccional')).toBeGreaterThanOrEqual(0.16);
    expect(rate('b2c', 'transaccional')).toBeLessThanOrEqual(0.2);
    expect(rate('b2b', 'relacional')).toBeGreaterThan(0.25);
    expect(rate('b2b', 'relacional')).toBeLessThan(0.35);
  });

  it('writes the exact headers of the brief', () => {
    const headers: Record<string, string> = {
      'customers.csv': 'customer_id,signup_date,segment,plan,monthly_revenue,status,churn_date,region',
      'csat_survey.csv': 'response_id,submitted_at,customer_id,ticket_id,channel,csat,ces,comment',
      'llamadas.csv':
        'ID llamada,Fecha,Hora,Cliente,Cola,Atendida,Espera (s),Conversación (s),Espera en retención (s),Postllamada (s),Resuelta en primer contacto,Agente,Satisfacción',
      'invoice_changes.csv': 'invoice_id,issued_at,customer_id,order_id,change_type,changed_at,reason,amount',
      'social_mentions.csv': 'post_id,posted_at,platform,type,rating,likes,shares,comments,text',
      'employee_feedback.csv': 'submitted_at,team,area,frustration,comment',
      'deals.csv': 'deal_id,customer_id,created_at,closed_at,stage,amount',
      'onboarding.csv': 'customer_id,started_at,installed_at,success,attempts',
    };
    for (const [name, header] of Object.entries(headers)) expect(text(name).split('\n')[0], name).toBe(header);
  });

  it('writes customers, orders, tickets, calls and CSAT in their formats', () => {
    const customers = table(text('customers.csv'), ',').rows;
    expect(customers).toHaveLength(2000);
    expect(customers[0]?.['customer_id']).toBe('C00001');
    expect(customers.filter((c) => !/^\d+\.\d{2}$/.test(c['monthly_revenue'] ?? '') || (c['churn_date'] === '') !== (c['status'] === 'active'))).toEqual([]);
    const b2b = share(customers.map((c) => c['segment'] === 'b2b'));
    expect(b2b).toBeGreaterThan(0.11);
    expect(b2b).toBeLessThan(0.19);

    const orders = text('orders.ndjson').trimEnd().split('\n').map((l) => JSON.parse(l) as Order);
    expect(Object.keys(orders[0] ?? {})).toEqual(['order_id', 'customer_id', 'ordered_at', 'channel', 'amount', 'promised_date', 'delivered_at', 'status', 'items']);
    expect(orders.some((o) => o.ordered_at.endsWith('+01:00'))).toBe(true);
    expect(orders.some((o) => o.ordered_at.endsWith('+02:00'))).toBe(true);
    const delivered = orders.filter((o) => o.status === 'delivered');
    const late = share(delivered.map((o) => (o.delivered_at ?? '').slice(0, 10) > o.promised_date));
    expect(late).toBeGreaterThan(0.08);
    expect(late).toBeLessThan(0.12);
    const cancelled = orders.filter((o) => o.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((o) => o.delivered_at === null)).toBe(true);

    const returns = table(iconv.decode(readFileSync(join(dirA, 'devoluciones.csv')), 'win1252'), ';').rows;
    const returnRate = returns.length / orders.length;
    expect(returnRate).toBeGreaterThan(0.06);
    expect(returnRate).toBeLessThan(0.1);

    const invoices = table(text('invoice_changes.csv'), ',').rows;
    expect(invoices).toHaveLength(orders.length);
    const changed = share(invoices.map((i) => i['change_type'] !== 'none'));
    expect(changed).toBeGreaterThan(0.045);
    expect(changed).toBeLessThan(0.075);
    expect(invoices.filter((i) => (i['changed_at'] === '') !== (i['change_type'] === 'none'))).toEqual([]);

    const wrapper = JSON.parse(text('tickets.json')) as { tickets: Ticket[]; next_page: null; count: number };
    expect(wrapper.next_page).toBeNull();
    expect(wrapper.count).toBe(wrapper.tickets.length);
    const created = wrapper.tickets.map((t) => new Date(t.created_at));
    expect(wrapper.tickets.every((t) => /Z$/.test(t.created_at))).toBe(true);
    // Some tickets arrive at night or at the weekend (Madrid time is UTC+1/+2).
    expect(created.some((d) => d.getUTCDay() === 0)).toBe(true);
    expect(created.some((d) => d.getUTCHours() < 5)).toBe(true);
    const disordered = wrapper.tickets.filter(
      (t) =>
        (t.first_reply_at !== null && Date.parse(t.first_reply_at) < Date.parse(t.created_at)) ||
        (t.solved_at !== null && (t.first_reply_at === null || Date.parse(t.solved_at) < Date.parse(t.first_reply_at))),
    );
    expect(disordered).toEqual([]);

    const calls = table(text('llamadas.csv'), ',').rows;
    const abandoned = calls.filter((c) => c['Atendida'] === 'No');
    expect(abandoned.length).toBeGreaterThan(0);
    expect(abandoned.every((c) => c['Conversación (s)'] === '' && c['Satisfacción'] === '')).toBe(true);
    expect(abandoned.some((c) => Number(c['Espera (s)']) < 5)).toBe(true);

    const csat = table(text('csat_survey.csv'), ',').rows;
    const outOfScale = csat.filter(
      (r) =>
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(r['submitted_at'] ?? '') ||
        !/^[1-5]$/.test(r['csat'] ?? '') ||
        !/^[1-7]$/.test(r['ces'] ?? ''),
    );
    expect(outOfScale).toEqual([]);
  });
});

describe('generate-demo: README, links and blemishes', () => {
  it('lists the row counts the files have', () => {
    const readme = text('README.md');
    const listed = new Map<string, number>();
    for (const m of readme.matchAll(/^\| `([^`]+)` \| (\d+) \| /gm)) listed.set(m[1] ?? '', Number(m[2]));
    const counts: Record<string, number> = {
      'orders.ndjson': text('orders.ndjson').trimEnd().split('\n').length,
      'tickets.json': (JSON.parse(text('tickets.json')) as { tickets: unknown[] }).tickets.length,
      'devoluciones.csv': parseCsv(iconv.decode(readFileSync(join(dirA, 'devoluciones.csv')), 'win1252'), ';').length - 1,
      'encuestas_nps.csv': parseCsv(text('encuestas_nps.csv').slice(1), ';').length - 1,
    };
    for (const name of readdirSync(dirA)) {
      if (name.endsWith('.csv') && !(name in counts)) counts[name] = parseCsv(text(name), ',').length - 1;
    }
    expect(Object.keys(counts)).toHaveLength(12);
    for (const [name, n] of Object.entries(counts)) {
      expect(listed.get(name), name).toBe(n);
      expect(readme).toContain(`### \`${name}\` (${n.toLocaleString('en-US')} rows)`);
    }
  });

  it('links every customer id to customers.csv (but the one planted blank)', () => {
    const ids = new Set(table(text('customers.csv'), ',').rows.map((r) => r['customer_id']));
    const seen: Record<string, string[]> = {
      orders: text('orders.ndjson').trimEnd().split('\n').map((l) => (JSON.parse(l) as Order).customer_id),
      returns: table(iconv.decode(readFileSync(join(dirA, 'devoluciones.csv')), 'win1252'), ';').rows.map((r) => r['Cliente'] ?? ''),
      nps: table(text('encuestas_nps.csv').slice(1), ';').rows.map((r) => r['Cliente'] ?? ''),
      csat: table(text('csat_survey.csv'), ',').rows.map((r) => r['customer_id'] ?? ''),
      tickets: (JSON.parse(text('tickets.json')) as { tickets: Ticket[] }).tickets.map((t) => t.requester_external_id),
      calls: table(text('llamadas.csv'), ',').rows.map((r) => r['Cliente'] ?? ''),
      invoices: table(text('invoice_changes.csv'), ',').rows.map((r) => r['customer_id'] ?? ''),
      deals: table(text('deals.csv'), ',').rows.map((r) => r['customer_id'] ?? ''),
      onboarding: table(text('onboarding.csv'), ',').rows.map((r) => r['customer_id'] ?? ''),
    };
    for (const [file, list] of Object.entries(seen)) {
      expect(list.length, file).toBeGreaterThan(0);
      const unknown = list.filter((id) => !ids.has(id));
      if (file === 'nps') expect(unknown).toEqual(['']);
      else expect(unknown, file).toEqual([]);
    }
  });

  it('plants 3 duplicate tickets and 2 out-of-range scores', () => {
    const tickets = (JSON.parse(text('tickets.json')) as { tickets: Ticket[] }).tickets;
    const byId = new Map<number, Ticket[]>();
    for (const t of tickets) byId.set(t.id, [...(byId.get(t.id) ?? []), t]);
    const dups = [...byId.values()].filter((l) => l.length > 1);
    expect(dups).toHaveLength(3);
    for (const d of dups) {
      expect(d).toHaveLength(2);
      expect(d[0]).toEqual(d[1]);
    }
    expect(dups.map((d) => String(d[0]?.id))).toEqual(result.blemishes.duplicatedTickets);
    const nps = table(text('encuestas_nps.csv').slice(1), ';').rows;
    const outOfRange = nps.filter((r) => r['Puntuación'] !== '' && !(Number(r['Puntuación']) >= 0 && Number(r['Puntuación']) <= 10));
    expect(outOfRange.map((r) => r['Puntuación']).sort()).toEqual(['-1', '11']);
  });
});

describe('generate-demo: planted effects, recomputed from the raw rows', () => {
  interface Exposures {
    returns: Map<string, number[]>;
    invoice: Map<string, number[]>;
    late: Map<string, number[]>;
    failedInstall: Map<string, number[]>;
  }
  const push = (m: Map<string, number[]>, k: string, v: number): void => {
    m.set(k, [...(m.get(k) ?? []), v]);
  };
  const before = (m: Map<string, number[]>, id: string, t: number, days: number): boolean =>
    (m.get(id) ?? []).some((e) => e <= t && e >= t - days * DAY);

  let ex: Exposures;
  let answers: { customer: string; t: number; score: number }[];
  let csat: { customer: string; t: number; satisfied: boolean }[];

  beforeAll(() => {
    ex = { returns: new Map(), invoice: new Map(), late: new Map(), failedInstall: new Map() };
    for (const r of table(iconv.decode(readFileSync(join(dirA, 'devoluciones.csv')), 'win1252'), ';').rows) {
      push(ex.returns, r['Cliente'] ?? '', dmyToMs(r['Fecha devolución'] ?? ''));
    }
    for (const r of table(text('invoice_changes.csv'), ',').rows) {
      if (r['change_type'] === 'correction' || r['change_type'] === 'credit_note') push(ex.invoice, r['customer_id'] ?? '', ymdToMs(r['changed_at'] ?? ''));
    }
    for (const line of text('orders.ndjson').trimEnd().split('\n')) {
      const o = JSON.parse(line) as Order;
      if (o.delivered_at && o.delivered_at.slice(0, 10) > o.promised_date) push(ex.late, o.customer_id, Date.parse(o.delivered_at));
    }
    for (const r of table(text('onboarding.csv'), ',').rows) {
      if (r['success'] === 'no') push(ex.failedInstall, r['customer_id'] ?? '', ymdToMs(r['started_at'] ?? ''));
    }
    answers = table(text('encuestas_nps.csv').slice(1), ';')
      .rows.filter((r) => r['Estado'] === 'Respondida' && r['Cliente'] !== '')
      .map((r) => ({ customer: r['Cliente'] ?? '', t: dmyToMs(r['Fecha'] ?? ''), score: Number(r['Puntuación']) }))
      .filter((a) => a.score >= 0 && a.score <= 10);
    csat = table(text('csat_survey.csv'), ',').rows.map((r) => ({
      customer: r['customer_id'] ?? '',
      t: Date.parse(r['submitted_at'] ?? ''),
      satisfied: Number(r['csat']) >= 4,
    }));
  });

  it('a return in the 30 days before lowers NPS by at least 15 points', () => {
    const exposed = answers.filter((a) => before(ex.returns, a.customer, a.t, 30));
    const rest = answers.filter((a) => !before(ex.returns, a.customer, a.t, 30));
    expect(exposed.length).toBeGreaterThan(100);
    const gap = nps(exposed.map((a) => a.score)) - nps(rest.map((a) => a.score));
    expect(gap).toBeLessThan(-15);
    expect(gap).toBeCloseTo(result.measured.npsReturn.difference, 6);
  });

  it('a failed installation lowers NPS in the following 90 days by at least 15 points', () => {
    const hit = (a: { customer: string; t: number }): boolean =>
      (ex.failedInstall.get(a.customer) ?? []).some((s) => a.t >= s && a.t <= s + 90 * DAY);
    const exposed = answers.filter(hit);
    const rest = answers.filter((a) => !hit(a));
    expect(exposed.length).toBeGreaterThan(50);
    const gap = nps(exposed.map((a) => a.score)) - nps(rest.map((a) => a.score));
    expect(gap).toBeLessThan(-15);
    expect(gap).toBeCloseTo(result.measured.npsFailedInstall.difference, 6);
  });

  it('an invoice correction or credit note in the 60 days before lowers CSAT by at least 10 points', () => {
    const exposed = csat.filter((a) => before(ex.invoice, a.customer, a.t, 60));
    const rest = csat.filter((a) => !before(ex.invoice, a.customer, a.t, 60));
    expect(exposed.length).toBeGreaterThan(40);
    const gap = share(exposed.map((a) => a.satisfied)) - share(rest.map((a) => a.satisfied));
    expect(gap).toBeLessThan(-0.1);
    expect(gap).toBeCloseTo(result.measured.csatInvoice.difference, 9);
  });

  it('a late delivery in the 30 days before lowers CSAT by at least 7 points', () => {
    const exposed = csat.filter((a) => before(ex.late, a.customer, a.t, 30));
    const rest = csat.filter((a) => !before(ex.late, a.customer, a.t, 30));
    expect(exposed.length).toBeGreaterThan(60);
    const gap = share(exposed.map((a) => a.satisfied)) - share(rest.map((a) => a.satisfied));
    expect(gap).toBeLessThan(-0.07);
    expect(gap).toBeCloseTo(result.measured.csatLate.difference, 9);
  });

  it('a reopened ticket goes with at least 1.5x churn in the following 90 days', () => {
    const churn = new Map(
      table(text('customers.csv'), ',')
        .rows.filter((r) => r['churn_date'] !== '')
        .map((r) => [r['customer_id'] ?? '', ymdToMs(r['churn_date'] ?? '')]),
    );
    const tickets = new Map((JSON.parse(text('tickets.json')) as { tickets: Ticket[] }).tickets.map((t) => [t.id, t]));
    const groups = { reopened: [] as boolean[], other: [] as boolean[] };
    for (const t of tickets.values()) {
      const created = Date.parse(t.created_at);
      if (created > END_MS - 90 * DAY) continue;
      const c = churn.get(t.requester_external_id);
      (t.metrics.reopens > 0 ? groups.reopened : groups.other).push(c !== undefined && c >= created && c <= created + 90 * DAY);
    }
    expect(groups.reopened.length).toBeGreaterThan(100);
    const ratio = share(groups.reopened) / share(groups.other);
    expect(ratio).toBeGreaterThan(1.5);
    expect(ratio).toBeCloseTo(result.measured.churnReopen.ratio, 9);
  });

  it('phone NPS is below the rest and detractors write about the planted problems', () => {
    const rows = table(text('encuestas_nps.csv').slice(1), ';').rows.filter(
      (r) => r['Estado'] === 'Respondida' && Number(r['Puntuación']) >= 0 && Number(r['Puntuación']) <= 10,
    );
    const phone = rows.filter((r) => r['Canal'] === 'Teléfono').map((r) => Number(r['Puntuación']));
    const other = rows.filter((r) => r['Canal'] !== 'Teléfono').map((r) => Number(r['Puntuación']));
    expect(nps(phone)).toBeLessThan(nps(other));
    const words = (pred: (s: number) => boolean, word: string): number =>
      rows.filter((r) => pred(Number(r['Puntuación'])) && (r['Comentario'] ?? '').toLowerCase().includes(word)).length;
    for (const w of ['tarde', 'devolución', 'factura', 'nadie responde']) expect(words((s) => s <= 6, w), w).toBeGreaterThan(words((s) => s >= 9, w));
    for (const w of ['rápido', 'amable', 'calidad']) expect(words((s) => s >= 9, w), w).toBeGreaterThan(words((s) => s <= 6, w));
  });
});
