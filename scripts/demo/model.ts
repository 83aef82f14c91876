/**
 * The knobs of the Verdemar demo: period, rates and the planted effects. The README quotes the
 * planted magnitudes from here, so change them here only.
 */
import { localToUtc, type Civil } from './time.js';

export const COMPANY = 'Verdemar';

/** First and last local day of the data (Europe/Madrid). */
export const START: Civil = { y: 2024, mo: 12, d: 1 };
export const LAST: Civil = { y: 2025, mo: 12, d: 31 };
export const START_MS = localToUtc(START.y, START.mo, START.d);
/** Nothing after this instant is in the exports (they were pulled at midnight on 1 January 2026). */
export const END_MS = localToUtc(2026, 1, 1) - 1000;

export const DEFAULT_CUSTOMERS = 2000;
export const DEFAULT_SEED = 42;
export const DEFAULT_OUT = 'fixtures/demo';
/** The committed default fixture must stay under this size. */
export const SIZE_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The planted relationships. `npsPoints` / `satisfiedShare` / `hazardRatio` are what is planted inside
 * one answer (or one customer-day); `target` is the raw exposed-minus-unexposed difference a drivers
 * analysis should find. The planted shifts are larger than the targets because exposed answers come
 * mostly from B2C transactional surveys, which score higher to begin with (calibrated over seeds 1-30).
 */
export const EFFECTS = {
  /** A return (Fecha devolución) in the 30 days before an NPS answer. */
  npsReturn: { windowDays: 30, npsPoints: -32, target: -25 },
  /** A failed installation (onboarding success = no): NPS answers from started_at to 90 days after. */
  npsFailedInstall: { windowDays: 90, npsPoints: -33, target: -30 },
  /** An invoice correction or credit note (changed_at) in the 60 days before a CSAT answer. */
  csatInvoice: { windowDays: 60, satisfiedShare: -0.2, target: -0.2 },
  /** A late delivery (delivered_at after promised_date) in the 30 days before a CSAT answer. */
  csatLate: { windowDays: 30, satisfiedShare: -0.15, target: -0.15 },
  /** A ticket that was reopened multiplies the daily churn hazard for 90 days after its created_at. */
  churnReopen: { windowDays: 90, hazardRatio: 2.4, target: 2 },
} as const;

/** Background effects (not the ones to find, but they make the data plausible). */
export const BACKGROUND = {
  npsLate: { windowDays: 30, npsPoints: -8 },
  npsInvoice: { windowDays: 60, npsPoints: -6 },
  npsChannel: { 'Teléfono': -18, Tienda: 5, App: 3, Web: 0, 'Correo electrónico': 0 } as Record<string, number>,
  npsDecember: -4,
  csatReopened: -0.12,
} as const;

/** Monthly multipliers (index 1-12) for orders: January sales, the August lull, the Nov-Dec peak. */
export const ORDER_SEASON = [0, 1.15, 0.85, 0.9, 0.95, 1.0, 1.0, 1.1, 0.75, 0.95, 1.0, 1.5, 1.7] as const;
/** Weekday multipliers (0 = Sunday) for orders. */
export const ORDER_DOW = [0.85, 1.05, 1.0, 1.0, 1.0, 1.1, 1.25] as const;
/** Weekday multipliers for spontaneous tickets: Monday backlog, quiet weekends. */
export const TICKET_DOW = [0.6, 1.25, 1.1, 1.0, 1.0, 0.95, 0.7] as const;
/** Share of deliveries that arrive late, by month (peak-season strain). */
export const LATE_BY_MONTH = [0, 0.12, 0.07, 0.07, 0.07, 0.075, 0.075, 0.08, 0.08, 0.075, 0.075, 0.14, 0.18] as const;

/** Monthly churn by plan (B2B customers churn at 65% of these). */
export const CHURN_MONTHLY = { basic: 0.025, plus: 0.018, pro: 0.012 } as const;

export const RESPONSE_RATES = {
  /** Post-delivery transactional NPS. */
  deliveryB2c: 0.11,
  deliveryB2b: 0.22,
  /** After a return's refund. */
  afterReturn: 0.45,
  /** After an installation visit (customers who just met a technician answer more). */
  afterInstall: 0.4,
  /** IVR survey at the end of a call. */
  afterCall: 0.17,
  relationalB2b: 0.3,
  relationalB2c: 0.12,
  /** CSAT after a solved ticket. */
  csatB2c: 0.4,
  csatB2b: 0.42,
} as const;

/** Relational NPS waves (local dates). */
export const WAVES_B2B = ['2024-12-10', '2025-03-11', '2025-06-10', '2025-09-09', '2025-12-09'] as const;
export const WAVES_B2C = ['2025-02-11', '2025-10-14'] as const;
/** Share of active B2C customers sampled into a relational wave. */
export const B2C_WAVE_SAMPLE = 0.3;
