/**
 * One zod schema per record kind: the last gate every row passes before it becomes a record.
 * The column converters already turned text into numbers, instants and flags; these schemas hold
 * the rules that make a value meaningful (an NPS is a whole number 0-10, a count is not negative,
 * an instant lies between 1900 and 2200, a rating sits on its configured scale).
 *
 * Schemas are built once per file (`recordSchema(kind, scales)`), never per row.
 */
import { z } from 'zod';
import type { RecordKind } from './records.js';

export interface Scale {
  min: number;
  max: number;
}

export interface Scales {
  csat: Scale;
  ces: Scale;
  review: Scale;
  frustration: Scale;
  social: Scale;
}

// 1900-01-01 .. 2200-01-01: anything outside is a parsing accident (0000-00-00, a serial read as epoch ms).
const MIN_INSTANT = Date.UTC(1900, 0, 1);
const MAX_INSTANT = Date.UTC(2200, 0, 1);

const id = z.string().min(1).max(512);
const instant = z
  .number()
  .refine((v) => Number.isFinite(v) && v >= MIN_INSTANT && v < MAX_INSTANT, { message: 'expected a date between 1900 and 2200' });
const text = z.string();
const count = z.number().int({ message: 'expected a whole number' }).min(0, { message: 'expected a count of 0 or more' }).max(1e9);
const money = z.number().refine(Number.isFinite, { message: 'expected a finite amount' });
const seconds = z.number().refine(Number.isFinite, { message: 'expected a finite duration' });
const onScale = (scale: Scale, label: string) =>
  z.number().min(scale.min, { message: `expected a ${label} score ${scale.min}-${scale.max}` }).max(scale.max, { message: `expected a ${label} score ${scale.min}-${scale.max}` });

const base = {
  kind: z.string(),
  input: z.number().int(),
  line: z.number().int(),
  id: id.optional(),
  customerId: id.optional(),
  updatedAt: instant.optional(),
  attrs: z.custom<Record<string, string>>((v) => typeof v === 'object' && v !== null),
};

export function recordSchema(kind: RecordKind, scales: Scales): z.ZodType {
  switch (kind) {
    case 'survey':
      return z.object({
        ...base,
        submittedAt: instant.optional(),
        orderId: id.optional(),
        ticketId: id.optional(),
        channel: text.optional(),
        touchpoint: text.optional(),
        surveyType: z.enum(['relational', 'transactional']).optional(),
        segment: text.optional(),
        nps: z.number().int({ message: 'expected a whole score 0-10' }).min(0, { message: 'expected an NPS score 0-10' }).max(10, { message: 'expected an NPS score 0-10' }).optional(),
        csat: onScale(scales.csat, 'CSAT').optional(),
        ces: onScale(scales.ces, 'CES').optional(),
        comment: text.optional(),
        status: z.enum(['invited', 'answered']).optional(),
      });
    case 'ticket':
      return z.object({
        ...base,
        createdAt: instant.optional(),
        type: text.optional(),
        channel: text.optional(),
        category: text.optional(),
        priority: text.optional(),
        status: text.optional(),
        group: text.optional(),
        agent: text.optional(),
        subject: text.optional(),
        firstResponseAt: instant.optional(),
        resolvedAt: instant.optional(),
        replies: count.optional(),
        reopens: count.optional(),
        contacts: count.optional(),
        fcr: z.boolean().optional(),
        csat: onScale(scales.csat, 'CSAT').optional(),
        csatOffered: z.boolean().optional(),
        firstResponseSeconds: seconds.optional(),
        resolutionSeconds: seconds.optional(),
        firstResponseBusinessSeconds: seconds.optional(),
        resolutionBusinessSeconds: seconds.optional(),
        requesterWaitSeconds: seconds.optional(),
        requesterWaitBusinessSeconds: seconds.optional(),
      });
    case 'call':
      return z.object({
        ...base,
        startedAt: instant.optional(),
        queue: text.optional(),
        channel: text.optional(),
        category: text.optional(),
        agent: text.optional(),
        answered: z.boolean().optional(),
        abandoned: z.boolean().optional(),
        waitSeconds: seconds.min(0, { message: 'expected a wait of 0 seconds or more' }).optional(),
        talkSeconds: seconds.min(0, { message: 'expected a talk time of 0 seconds or more' }).optional(),
        holdSeconds: seconds.min(0, { message: 'expected a hold time of 0 seconds or more' }).optional(),
        conferenceSeconds: seconds.min(0).optional(),
        wrapSeconds: seconds.min(0, { message: 'expected a wrap-up time of 0 seconds or more' }).optional(),
        fcr: z.boolean().optional(),
        csat: onScale(scales.csat, 'CSAT').optional(),
      });
    case 'order':
      return z.object({
        ...base,
        orderedAt: instant.optional(),
        amount: money.optional(),
        status: text.optional(),
        channel: text.optional(),
        promisedAt: instant.optional(),
        deliveredAt: instant.optional(),
        reviewScore: onScale(scales.review, 'review').optional(),
        units: count.optional(),
      });
    case 'return':
      return z.object({
        ...base,
        orderId: id.optional(),
        returnedAt: instant.optional(),
        reason: text.optional(),
        amount: money.optional(),
        product: text.optional(),
        units: count.optional(),
      });
    case 'invoice_change':
      return z.object({
        ...base,
        orderId: id.optional(),
        issuedAt: instant.optional(),
        changedAt: instant.optional(),
        changeType: text.optional(),
        reason: text.optional(),
        amount: money.optional(),
      });
    case 'customer':
      return z.object({
        ...base,
        since: instant.optional(),
        churnedAt: instant.optional(),
        churned: z.boolean().optional(),
        status: text.optional(),
        segment: text.optional(),
        plan: text.optional(),
        monthlyRevenue: money.optional(),
        revenue: money.optional(),
        tenureMonths: z.number().min(0, { message: 'expected a tenure of 0 months or more' }).optional(),
      });
    case 'social':
      return z.object({
        ...base,
        postedAt: instant.optional(),
        platform: text.optional(),
        postKind: text.optional(),
        rating: onScale(scales.social, 'rating').optional(),
        likes: count.optional(),
        shares: count.optional(),
        comments: count.optional(),
        text: text.optional(),
      });
    case 'employee_feedback':
      return z.object({
        ...base,
        submittedAt: instant.optional(),
        team: text.optional(),
        area: text.optional(),
        rating: onScale(scales.frustration, 'frustration').optional(),
        text: text.optional(),
      });
    case 'deal':
      return z.object({
        ...base,
        createdAt: instant.optional(),
        closedAt: instant.optional(),
        stage: text.optional(),
        won: z.boolean().optional(),
        amount: money.optional(),
      });
    case 'onboarding':
      return z.object({
        ...base,
        startedAt: instant.optional(),
        firstValueAt: instant.optional(),
        success: z.boolean().optional(),
        attempts: count.optional(),
      });
    case 'ticket_event':
      return z.object({
        ...base,
        ticketId: id.optional(),
        at: instant.optional(),
        status: text.optional(),
      });
  }
}
