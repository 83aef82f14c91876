/**
 * The record kinds of DESIGN.md and their canonical fields. Timestamps are epoch milliseconds
 * (UTC instants; a local time without offset is read in the configured time zone), durations are
 * seconds, money is in the input's currency, rates are fractions.
 *
 * Every column that maps to no canonical field is kept in `attrs` (a null-prototype object, so a
 * `__proto__` column cannot pollute anything) and can be used with `--by`.
 */

export const RECORD_KINDS = [
  'survey',
  'ticket',
  'call',
  'order',
  'return',
  'invoice_change',
  'customer',
  'social',
  'employee_feedback',
  'deal',
  'onboarding',
  'ticket_event',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Attribute values keyed by the source column name. Always created with `Object.create(null)`. */
export type Attrs = Record<string, string>;

export interface RecordBase {
  kind: RecordKind;
  /** Index into the dataset's list of inputs. */
  input: number;
  /** 1-based physical line of the row in its file. */
  line: number;
  id?: string;
  customerId?: string;
  /** When the row was last updated, used to keep the latest of duplicate ids. */
  updatedAt?: number;
  attrs: Attrs;
}

export interface SurveyRecord extends RecordBase {
  kind: 'survey';
  submittedAt?: number;
  orderId?: string;
  ticketId?: string;
  channel?: string;
  touchpoint?: string;
  surveyType?: 'relational' | 'transactional';
  segment?: string;
  /** 0-10 integer. */
  nps?: number;
  csat?: number;
  ces?: number;
  comment?: string;
  /** `invited` (sent, not answered) or `answered`; invitations are the denominator of the response rate. */
  status?: 'invited' | 'answered';
}

export interface TicketRecord extends RecordBase {
  kind: 'ticket';
  createdAt?: number;
  type?: string;
  channel?: string;
  category?: string;
  priority?: string;
  status?: string;
  group?: string;
  agent?: string;
  subject?: string;
  firstResponseAt?: number;
  resolvedAt?: number;
  /** Agent replies (public). */
  replies?: number;
  reopens?: number;
  /** Customer contacts needed to resolve. */
  contacts?: number;
  /** The export's own first-contact-resolution flag. */
  fcr?: boolean;
  csat?: number;
  /** The survey was offered but not answered (Zendesk's `Offered`). */
  csatOffered?: boolean;
  /** Precomputed durations in seconds, used when the timestamps are absent. */
  firstResponseSeconds?: number;
  resolutionSeconds?: number;
  firstResponseBusinessSeconds?: number;
  resolutionBusinessSeconds?: number;
  requesterWaitSeconds?: number;
  requesterWaitBusinessSeconds?: number;
}

export interface CallRecord extends RecordBase {
  kind: 'call';
  startedAt?: number;
  queue?: string;
  channel?: string;
  category?: string;
  agent?: string;
  answered?: boolean;
  abandoned?: boolean;
  waitSeconds?: number;
  talkSeconds?: number;
  holdSeconds?: number;
  conferenceSeconds?: number;
  wrapSeconds?: number;
  fcr?: boolean;
  csat?: number;
}

export interface OrderRecord extends RecordBase {
  kind: 'order';
  orderedAt?: number;
  amount?: number;
  status?: string;
  channel?: string;
  promisedAt?: number;
  deliveredAt?: number;
  reviewScore?: number;
  units?: number;
}

export interface ReturnRecord extends RecordBase {
  kind: 'return';
  orderId?: string;
  returnedAt?: number;
  reason?: string;
  amount?: number;
  product?: string;
  units?: number;
}

export interface InvoiceChangeRecord extends RecordBase {
  kind: 'invoice_change';
  /** The invoice id is the record id. */
  changedAt?: number;
  issuedAt?: number;
  /** correction, credit_note, cancellation, or none when the file lists unchanged invoices too. */
  changeType?: string;
  reason?: string;
  amount?: number;
  orderId?: string;
}

export interface CustomerRecord extends RecordBase {
  kind: 'customer';
  since?: number;
  churnedAt?: number;
  churned?: boolean;
  status?: string;
  segment?: string;
  plan?: string;
  /** Revenue per month (recurring) when known. */
  monthlyRevenue?: number;
  /** Total revenue to date. */
  revenue?: number;
  tenureMonths?: number;
}

export interface SocialRecord extends RecordBase {
  kind: 'social';
  postedAt?: number;
  platform?: string;
  /** complaint, mention, review, praise, question. */
  postKind?: string;
  rating?: number;
  likes?: number;
  shares?: number;
  comments?: number;
  text?: string;
}

export interface EmployeeFeedbackRecord extends RecordBase {
  kind: 'employee_feedback';
  submittedAt?: number;
  team?: string;
  area?: string;
  rating?: number;
  text?: string;
}

export interface DealRecord extends RecordBase {
  kind: 'deal';
  createdAt?: number;
  closedAt?: number;
  won?: boolean;
  amount?: number;
  stage?: string;
}

export interface OnboardingRecord extends RecordBase {
  kind: 'onboarding';
  startedAt?: number;
  firstValueAt?: number;
  success?: boolean;
  attempts?: number;
}

/** One status change of a ticket (a ticket-events or audit export): the ticket entered `status` at `at`. */
export interface TicketEventRecord extends RecordBase {
  kind: 'ticket_event';
  ticketId?: string;
  at?: number;
  status?: string;
}

export type CxRecord =
  | SurveyRecord
  | TicketRecord
  | CallRecord
  | OrderRecord
  | ReturnRecord
  | InvoiceChangeRecord
  | CustomerRecord
  | SocialRecord
  | EmployeeFeedbackRecord
  | DealRecord
  | OnboardingRecord
  | TicketEventRecord;

export type RecordOf<K extends RecordKind> = Extract<CxRecord, { kind: K }>;

/** The instant that places a record in time (period bucketing, `--since/--until`, date ranges). */
export const TIME_FIELD: Readonly<Record<RecordKind, string>> = {
  survey: 'submittedAt',
  ticket: 'createdAt',
  call: 'startedAt',
  order: 'orderedAt',
  return: 'returnedAt',
  invoice_change: 'issuedAt',
  customer: 'since',
  social: 'postedAt',
  employee_feedback: 'submittedAt',
  deal: 'createdAt',
  onboarding: 'startedAt',
  ticket_event: 'at',
};
