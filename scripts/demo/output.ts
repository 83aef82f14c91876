/**
 * Writing the export files: each in the format, encoding, delimiter and date style its source
 * system would use. Rows arrive day by day from the simulation, already sorted and with ids.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { csvLine, money, moneyEs } from './csv.js';
import type { DealRec, EmployeeRec, SocialRec } from './extras.js';
import type { CallRow, Customer, CsatRow, InvoiceRow, NpsRow, OnboardingRec, OrderRow, ReturnRow, Row, Sink, TicketRow } from './simulate.js';
import { dmy, dmyHm, hms, isoMadrid, isoZ, localToUtc, ymd } from './time.js';

export const FILES = {
  customers: 'customers.csv',
  orders: 'orders.ndjson',
  returns: 'devoluciones.csv',
  nps: 'encuestas_nps.csv',
  csat: 'csat_survey.csv',
  tickets: 'tickets.json',
  calls: 'llamadas.csv',
  invoices: 'invoice_changes.csv',
  social: 'social_mentions.csv',
  employee: 'employee_feedback.csv',
  deals: 'deals.csv',
  onboarding: 'onboarding.csv',
} as const;
export type FileKey = keyof typeof FILES;

export const HEADERS: Record<Exclude<FileKey, 'orders' | 'tickets'>, string> = {
  customers: 'customer_id,signup_date,segment,plan,monthly_revenue,status,churn_date,region',
  returns: 'Nº devolución;Nº pedido;Cliente;Fecha devolución;Motivo;Importe;Producto;Unidades',
  nps: 'ID respuesta;Fecha;Cliente;Canal;Tipo de encuesta;Segmento;Puntuación;Comentario;Estado',
  csat: 'response_id,submitted_at,customer_id,ticket_id,channel,csat,ces,comment',
  calls:
    'ID llamada,Fecha,Hora,Cliente,Cola,Atendida,Espera (s),Conversación (s),Espera en retención (s),Postllamada (s),Resuelta en primer contacto,Agente,Satisfacción',
  invoices: 'invoice_id,issued_at,customer_id,order_id,change_type,changed_at,reason,amount',
  social: 'post_id,posted_at,platform,type,rating,likes,shares,comments,text',
  employee: 'submitted_at,team,area,frustration,comment',
  deals: 'deal_id,customer_id,created_at,closed_at,stage,amount',
  onboarding: 'customer_id,started_at,installed_at,success,attempts',
};

export interface FileSummary {
  key: FileKey;
  name: string;
  bytes: number;
  /** Records (a quoted line break does not make a second record; duplicates count). */
  rows: number;
}

class OutFile {
  private readonly fd: number;
  bytes = 0;
  rows = 0;

  constructor(
    readonly key: FileKey,
    dir: string,
    private readonly encoding: 'utf8' | 'win1252',
    private readonly eol: '\n' | '\r\n',
  ) {
    this.fd = openSync(join(dir, FILES[key]), 'w');
  }

  raw(text: string): void {
    let buf: Buffer;
    if (this.encoding === 'win1252') {
      buf = iconv.encode(text, 'win1252');
      if (iconv.decode(buf, 'win1252') !== text) throw new Error(`${FILES[this.key]}: text not representable in Windows-1252`);
    } else {
      buf = Buffer.from(text, 'utf8');
    }
    writeSync(this.fd, buf);
    this.bytes += buf.length;
  }

  lines(lines: readonly string[], countAsRows = true): void {
    if (lines.length === 0) return;
    this.raw(lines.join(this.eol) + this.eol);
    if (countAsRows) this.rows += lines.length;
  }

  close(): FileSummary {
    closeSync(this.fd);
    return { key: this.key, name: FILES[this.key], bytes: this.bytes, rows: this.rows };
  }
}

const yesNo = (b: boolean): string => (b ? 'Sí' : 'No');

function subjectOf(t: TicketRow): string {
  return t.subject
    .replace('{order}', t.refOrder?.id ?? '')
    .replace('{return}', t.refReturn?.id ?? '')
    .replace('{invoice}', t.refInvoice?.id ?? '');
}

/** Where the re-export overlap is planted: the first tickets written on or after this instant. */
const DUPLICATE_AFTER = localToUtc(2025, 7, 1);

export class Output implements Sink {
  private readonly files: Map<FileKey, OutFile> = new Map();
  private ticketCount = 0;
  private readonly lastTickets: string[] = [];
  readonly duplicatedTickets: string[] = [];

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const open = (key: FileKey, enc: 'utf8' | 'win1252' = 'utf8', eol: '\n' | '\r\n' = '\n'): OutFile => {
      const f = new OutFile(key, dir, enc, eol);
      this.files.set(key, f);
      return f;
    };
    open('orders');
    open('returns', 'win1252', '\r\n').lines([HEADERS.returns], false);
    const nps = open('nps');
    nps.raw('\uFEFF');
    nps.lines([HEADERS.nps], false);
    open('csat').lines([HEADERS.csat], false);
    open('tickets').raw('{"tickets":[\n');
    open('calls').lines([HEADERS.calls], false);
    open('invoices').lines([HEADERS.invoices], false);
  }

  private file(key: FileKey): OutFile {
    const f = this.files.get(key);
    if (!f) throw new Error(`${key} is not open`);
    return f;
  }

  write(rows: readonly Row[]): void {
    const out: Record<Row['f'], string[]> = { orders: [], invoices: [], returns: [], nps: [], tickets: [], csat: [], calls: [] };
    for (const row of rows) {
      switch (row.f) {
        case 'orders':
          out.orders.push(orderLine(row));
          break;
        case 'invoices':
          out.invoices.push(invoiceLine(row));
          break;
        case 'returns':
          out.returns.push(returnLine(row));
          break;
        case 'nps':
          out.nps.push(npsLine(row));
          break;
        case 'csat':
          out.csat.push(csatLine(row));
          break;
        case 'calls':
          out.calls.push(callLine(row));
          break;
        case 'tickets': {
          if (this.duplicatedTickets.length === 0 && row.t >= DUPLICATE_AFTER && this.lastTickets.length === 3) {
            // A re-export overlap: the last three tickets of the previous page come again.
            for (const line of this.lastTickets) {
              out.tickets.push(line);
              this.duplicatedTickets.push(String((JSON.parse(line) as { id: number }).id));
            }
          }
          const line = ticketLine(row);
          out.tickets.push(line);
          this.lastTickets.push(line);
          if (this.lastTickets.length > 3) this.lastTickets.shift();
          break;
        }
      }
    }
    this.file('orders').lines(out.orders);
    this.file('invoices').lines(out.invoices);
    this.file('returns').lines(out.returns);
    this.file('nps').lines(out.nps);
    this.file('csat').lines(out.csat);
    this.file('calls').lines(out.calls);
    if (out.tickets.length > 0) {
      const tickets = this.file('tickets');
      tickets.raw((this.ticketCount > 0 ? ',\n' : '') + out.tickets.join(',\n'));
      tickets.rows += out.tickets.length;
      this.ticketCount += out.tickets.length;
    }
  }

  /** Closes the streamed files and writes the others. */
  finish(rest: {
    customers: readonly Customer[];
    onboarding: readonly OnboardingRec[];
    deals: readonly DealRec[];
    social: readonly SocialRec[];
    employee: readonly EmployeeRec[];
  }): FileSummary[] {
    const tickets = this.file('tickets');
    tickets.raw(`\n],\n"next_page":null,\n"count":${this.ticketCount}}\n`);

    const simple = (key: FileKey, header: string, lines: string[]): void => {
      const f = new OutFile(key, this.dir, 'utf8', '\n');
      this.files.set(key, f);
      f.lines([header], false);
      f.lines(lines);
    };
    simple(
      'customers',
      HEADERS.customers,
      rest.customers.map((c) =>
        csvLine(
          [c.id, ymd(c.signupMs), c.segment, c.plan, money(c.monthlyRevenue), c.churnMs === null ? 'active' : 'churned', c.churnMs === null ? '' : ymd(c.churnMs), c.region],
          ',',
        ),
      ),
    );
    const onboarding = [...rest.onboarding].sort((a, b) => a.startMs - b.startMs || a.c.idx - b.c.idx);
    simple(
      'onboarding',
      HEADERS.onboarding,
      onboarding.map((o) => csvLine([o.c.id, ymd(o.startMs), o.installedMs === null ? '' : ymd(o.installedMs), o.success ? 'yes' : 'no', o.attempts], ',')),
    );
    simple(
      'deals',
      HEADERS.deals,
      rest.deals.map((d) => csvLine([d.id, d.c.id, ymd(d.createdMs), d.closedMs === null ? '' : ymd(d.closedMs), d.stage, money(d.amount)], ',')),
    );
    simple(
      'social',
      HEADERS.social,
      rest.social.map((s) => csvLine([s.id, isoZ(s.t), s.platform, s.type, s.rating ?? '', s.likes, s.shares, s.comments, s.text], ',')),
    );
    simple(
      'employee',
      HEADERS.employee,
      rest.employee.map((e) => csvLine([ymd(e.t), e.team, e.area, e.frustration, e.comment], ',')),
    );
    const order: FileKey[] = ['customers', 'orders', 'returns', 'nps', 'csat', 'tickets', 'calls', 'invoices', 'social', 'employee', 'deals', 'onboarding'];
    return order.map((k) => this.file(k).close());
  }
}

function orderLine(o: OrderRow): string {
  return JSON.stringify({
    order_id: o.id,
    customer_id: o.c.id,
    ordered_at: isoMadrid(o.t),
    channel: o.channel,
    amount: o.amount,
    promised_date: o.promised,
    delivered_at: o.deliveredMs === null ? null : isoMadrid(o.deliveredMs),
    status: o.status,
    items: o.items,
  });
}

function invoiceLine(i: InvoiceRow): string {
  return csvLine([i.id, ymd(i.t), i.c.id, i.order.id, i.change, i.changedMs === null ? '' : ymd(i.changedMs), i.reason, money(i.amount)], ',');
}

function returnLine(r: ReturnRow): string {
  return csvLine([r.id, r.order.id, r.c.id, dmy(r.t), r.reason, moneyEs(r.amount), r.product, r.units], ';');
}

function npsLine(n: NpsRow): string {
  return csvLine(
    [n.id, dmyHm(n.t), n.c?.id ?? '', n.canal, n.tipo, n.segment, n.score ?? '', n.comment, n.score === null ? 'Enviada' : 'Respondida'],
    ';',
  );
}

function csatLine(s: CsatRow): string {
  return csvLine([s.id, isoZ(s.t), s.c.id, s.ticket.id, s.ticket.via, s.csat, s.ces, s.comment], ',');
}

function callLine(c: CallRow): string {
  const a = c.answered;
  return csvLine(
    [
      c.id,
      dmy(c.t),
      hms(c.t),
      c.c.id,
      c.queue,
      yesNo(a),
      c.wait,
      a ? c.talk : '',
      a ? c.hold : '',
      a ? c.wrap : '',
      a ? yesNo(c.fcr) : '',
      c.agent,
      c.sat ?? '',
    ],
    ',',
  );
}

function ticketLine(t: TicketRow): string {
  return JSON.stringify({
    id: t.num,
    created_at: isoZ(t.t),
    updated_at: isoZ(t.updatedMs),
    solved_at: t.solvedMs === null ? null : isoZ(t.solvedMs),
    first_reply_at: t.firstReplyMs === null ? null : isoZ(t.firstReplyMs),
    type: t.type,
    priority: t.priority,
    status: t.status,
    via: { channel: t.via },
    requester_external_id: t.c.id,
    group: t.group,
    assignee: t.assignee,
    category: t.category,
    metrics: { replies: t.replies, reopens: t.reopens },
    satisfaction_rating: { score: t.score },
    subject: subjectOf(t),
  });
}
