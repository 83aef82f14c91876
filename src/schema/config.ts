/**
 * The mapping config (`cxm.config.json`, or YAML): per-file kind and column mapping, value maps,
 * locale, time zone and scales. One zod schema is the source of truth; `cxm config schema` prints
 * its JSON Schema. Parsing is pure: `loadConfig` in the CLI reads the file and calls `parseConfig`.
 */
import { z } from 'zod';
import { CxmError } from '../errors.js';
import { RECORD_KINDS } from './records.js';

const cellValue = z.union([z.string(), z.number(), z.boolean()]);

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as "Europe/Madrid" or "UTC"' },
);

const dateOrder = z.enum(['dmy', 'mdy', 'ymd']).describe('Day-first (31/12/2025), month-first (12/31/2025) or year-first dates.');

const scale = z
  .strictObject({
    min: z.number().describe('Lowest point of the scale.'),
    max: z.number().describe('Highest point of the scale.'),
    positiveFrom: z.number().optional().describe('Answers at or above this count as satisfied (CSAT) or positive. Default: the top two points of a 5-point scale, the top box otherwise (see README).'),
  })
  .refine((s) => s.max > s.min, { message: 'max must be greater than min' });

const cesScale = z
  .strictObject({
    min: z.number(),
    max: z.number(),
    direction: z.enum(['higher-is-easier', 'lower-is-easier']).describe('1-7 agreement scales ("it was easy") are higher-is-easier; 1-5 effort scales are lower-is-easier.'),
    lowEffortFrom: z.number().optional().describe('Answers at or beyond this point (in the easy direction) count as low effort. Default: 5 on 1-7 agreement, 2 on 1-5 effort.'),
  })
  .refine((s) => s.max > s.min, { message: 'max must be greater than min' });

export const fileConfigSchema = z.strictObject({
  match: z.string().min(1).describe('File name, path suffix or glob (`*.csv`, `exports/**/tickets*.json`) this entry applies to.'),
  kind: z.enum(RECORD_KINDS).optional().describe('Record kind of the file, when its headers cannot say.'),
  skip: z.boolean().optional().describe('Do not read this file (reported as skipped).'),
  columns: z
    .record(z.string(), z.string().nullable())
    .optional()
    .describe('Column header -> canonical field (`"Puntuación": "nps"`); null keeps the column as an attribute only.'),
  values: z
    .record(z.string(), z.record(z.string(), cellValue))
    .optional()
    .describe('Per field, raw value -> canonical value (`"channel": {"Teléfono": "phone"}`).'),
  set: z.record(z.string(), cellValue).optional().describe('Fields given the same value on every row (`"type": "complaint"`).'),
  exclude: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe('Column header -> raw values whose rows are left out on purpose (`"outcome": ["PHANTOM"]`): counted as rejected ("excluded by config"), not against --max-reject-rate.'),
  dateOrder: dateOrder.optional(),
  decimal: z.enum([',', '.']).optional().describe('Decimal separator of the numbers in this file.'),
  timezone: timeZone.optional().describe('Time zone of local times in this file.'),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'windows-1252', 'utf-16le', 'utf-16be']).optional(),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

// ---------------------------------------------------------------------------------------
// businessHours and sla (issue 6). The parsers are exported: src/metrics/business-hours.ts
// compiles the validated strings with the same functions, so the two can never disagree.

/** Minutes since local midnight of an "HH:MM-HH:MM" interval, end after start; "24:00" only as an end. */
export function parseClockInterval(text: string): { start: number; end: number } | { error: string } {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return { error: `expected an interval "HH:MM-HH:MM" such as "09:00-14:00", got "${text}"` };
  const clock = (h: string, mi: string) => (Number(h) <= 24 && Number(mi) <= 59 && (Number(h) < 24 || Number(mi) === 0) ? Number(h) * 60 + Number(mi) : NaN);
  const start = clock(m[1]!, m[2]!);
  const end = clock(m[3]!, m[4]!);
  if (Number.isNaN(start) || Number.isNaN(end) || start === 1440) return { error: `"${text}": not a time of day (00:00 to 24:00)` };
  if (end <= start) {
    return { error: `"${text}": the end must be after the start; an interval cannot cross midnight (split it: "18:00-24:00" on one day, "00:00-09:00" on the next)` };
  }
  return { start, end };
}

/** A calendar date "YYYY-MM-DD" that exists (no 2025-02-30), or null. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days ? { year, month, day } : null;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { d: 86_400, h: 3600, m: 60, min: 60, s: 1 };

/** Seconds of an SLA target such as "1h", "30m", "1h 30m", "90s", "2d" (a day is 24 hours), or null. */
export function parseTargetDuration(text: string): number | null {
  if (!/^\s*(?:\d+(?:\.\d+)?\s*(?:d|h|min|m|s)\s*)+$/i.test(text)) return null;
  let seconds = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)\s*(min|d|h|m|s)/gi)) seconds += Number(part[1]) * DURATION_UNITS[part[2]!.toLowerCase()]!;
  return seconds > 0 ? seconds : null;
}

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const isoDate = z.string().refine((v) => parseIsoDate(v) !== null, { message: 'expected a date "YYYY-MM-DD" that exists, such as "2025-12-25"' });

const dayIntervals = z.array(z.string()).superRefine((list, ctx) => {
  const parsed: { start: number; end: number; text: string }[] = [];
  list.forEach((text, i) => {
    const r = parseClockInterval(text);
    if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error, path: [i] });
    else parsed.push({ ...r, text });
  });
  parsed.sort((a, b) => a.start - b.start);
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i]!.start < parsed[i - 1]!.end) ctx.addIssue({ code: 'custom', message: `intervals "${parsed[i - 1]!.text}" and "${parsed[i]!.text}" overlap` });
  }
});

const week = z
  .strictObject(Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, dayIntervals.optional()])) as Record<(typeof WEEKDAY_KEYS)[number], z.ZodOptional<typeof dayIntervals>>)
  .refine((w) => Object.values(w).some((list) => list !== undefined && list.length > 0), { message: 'no business interval on any day' })
  .describe('Business intervals per weekday (mon … sun), local times: {"mon": ["09:00-14:00", "15:00-18:00"]}. A day left out is closed.');

/**
 * An every-year date "MM-DD" that exists in some year (so "02-29", which closes Feb 29 of leap
 * years only), or null.
 */
export function parseMonthDay(text: string): { month: number; day: number } | null {
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [month, day] = [Number(m[1]), Number(m[2])];
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days ? { month, day } : null;
}

const HOLIDAY_DATE = 'expected a date "YYYY-MM-DD" that exists, such as "2025-12-25", or an every-year date "MM-DD" such as "12-25"';
const holidayDate = z.string().refine((v) => parseIsoDate(v) !== null || parseMonthDay(v) !== null, { message: HOLIDAY_DATE });

// A dated range must not end before it starts; an every-year range may cross new year
// ({"from": "12-31", "to": "01-01"}); a range mixing the two forms is refused.
const holiday = z.union([
  holidayDate,
  z
    .strictObject({ from: holidayDate, to: holidayDate })
    .refine((r) => (parseMonthDay(r.from) === null) === (parseMonthDay(r.to) === null), { message: '"from" and "to" must both be dated ("YYYY-MM-DD") or both every-year ("MM-DD")' })
    .refine((r) => parseMonthDay(r.from) !== null || r.from <= r.to, { message: '"to" must not be before "from"' }),
]);

const scheduleChanges = z
  .array(z.strictObject({ from: isoDate.describe('First local day the new week applies.'), week }))
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.from)) ctx.addIssue({ code: 'custom', message: `two changes from ${c.from}`, path: [i, 'from'] });
      seen.add(c.from);
    });
  })
  .describe('Schedule changes over time: from that local date on, `week` replaces the previous one.');

const groupSchedule = z
  .strictObject({
    timezone: timeZone.optional(),
    week: week.optional(),
    holidays: z.array(holiday).optional(),
    changes: scheduleChanges.optional(),
  })
  .refine((g) => g.changes === undefined || g.week !== undefined, { message: '"changes" needs a "week" of its own' })
  .describe('A group or queue schedule. Keys left out are inherited; a group without `week` inherits the week and its changes.');

const businessHoursSchema = z
  .strictObject({
    timezone: timeZone.optional().describe('Time zone of the schedule. Default: the config `timezone`, else UTC.'),
    week,
    holidays: z.array(holiday).optional().describe('Closed local dates: "2025-12-25" or {"from": "2025-12-24", "to": "2025-12-26"} (inclusive); every year: "12-25", {"from": "12-24", "to": "12-26"}, {"from": "12-31", "to": "01-01"} (across new year; "02-29" closes Feb 29 of leap years only).'),
    changes: scheduleChanges.optional(),
    byGroup: z.record(z.string(), groupSchedule).optional().describe('Schedules by ticket group or call queue (names compared without case or accents).'),
    time: z.enum(['business', 'calendar']).optional().describe('Default of --time: which clock the value of response, resolution and wait times uses, and whether the call metrics count only calls offered within business hours. Default calendar.'),
    scheduleRule: z
      .enum(['at-event', 'cumulative'])
      .optional()
      .describe('Default of --schedule-rule, for a ticket open while the schedule changed: at-event (the schedule in force at the measured event applies to the whole duration, as Zendesk does) or cumulative (each stretch under the schedule then in force). Default at-event.'),
  })
  .describe('Business hours: durations measured in business time, SLA targets.');

const slaDuration = z.string().refine((v) => parseTargetDuration(v) !== null, { message: 'expected a duration such as "30m", "1h", "1h 30m" or "2d"' });

const slaTarget = z
  .strictObject({
    priority: z.string().optional().describe('Ticket priority this target applies to (compared without case or accents); left out: any priority.'),
    channel: z.string().optional().describe('Channel this target applies to; left out: any channel.'),
    group: z.string().optional().describe('Group this target applies to; left out: any group.'),
    firstResponse: slaDuration.optional().describe('First-response target ("1h").'),
    resolution: slaDuration.optional().describe('Resolution target ("8h").'),
  })
  .refine((t) => t.firstResponse !== undefined || t.resolution !== undefined, { message: 'a target needs firstResponse or resolution' });

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  timezone: timeZone.optional().describe('Time zone of local times without an offset, and of period boundaries. Default UTC.'),
  locale: z.enum(['en', 'es']).optional().describe('Hint for ambiguous numbers such as 1,234 (es: decimal comma).'),
  dateOrder: dateOrder.optional(),
  maxRejectRate: z.number().min(0).max(1).optional().describe('Share of rejected rows per file above which cxm exits 3. Default 0.05.'),
  minSample: z.number().int().min(1).optional().describe('Results resting on fewer answers are flagged as small samples. Default 30.'),
  weekStart: z.enum(['monday', 'sunday']).optional(),
  csatRule: z
    .enum(['all-answers', 'good-over-rated'])
    .optional()
    .describe('CSAT denominator: all answers (default), or satisfied / (satisfied + dissatisfied) leaving neutral answers out, as Zendesk does with good / (good + bad).'),
  scales: z
    .strictObject({
      csat: scale.optional(),
      ces: cesScale.optional(),
      review: scale.optional(),
      frustration: scale.optional(),
      social: scale.optional(),
    })
    .optional(),
  values: z
    .record(z.string(), z.record(z.string(), cellValue))
    .optional()
    .describe('Value maps for every file, per field (`"channel": {"Correo": "email"}`).'),
  calls: z
    .strictObject({
      shortAbandonSeconds: z.number().min(0).optional().describe('Calls abandoned within this wait are short abandons, left out of the abandonment rate. Default 5.'),
      serviceLevelSeconds: z.number().min(0).optional().describe('Service level: share of calls answered within this many seconds. Default 20.'),
    })
    .optional(),
  tickets: z
    .strictObject({
      recurringWindowDays: z.number().min(0).optional().describe('A ticket is a recurring issue when the same customer opened one in the same category within this many days before. Default 7.'),
    })
    .optional(),
  social: z
    .strictObject({
      complaintShare: z.number().gt(0).max(1).optional().describe('Share of unhappy customers who complain on social media, for estimated_complainers. Default 0.03.'),
    })
    .optional(),
  clv: z
    .strictObject({
      grossMargin: z.number().gt(0).max(1).optional().describe('Gross margin applied to customer lifetime value (0-1). Default: none (revenue CLV).'),
    })
    .optional(),
  journey: z
    .strictObject({
      earlyLifeDays: z.number().gt(0).optional().describe('early_life_contact_rate: a ticket or call within this many days of a new customer\'s start (onboarding start, else customer since) counts. Default 30.'),
      repeatContactDays: z.number().gt(0).optional().describe('repeat_contact_rate: the same customer contacting again about the same category through another channel within this many days is a repeat. Default 7.'),
      frustrationFrom: z.number().optional().describe('employee_frustration: ratings at or above this (on scales.frustration) are frustrating. Default: 4 on 1-5, the top 20% of other scales.'),
    })
    .optional(),
  drivers: z
    .strictObject({
      window: z.number().int().min(1).optional().describe('`cxm drivers`: an exposure counts when it happened within this many days before the outcome. Default 90.'),
      minGroup: z.number().int().min(1).optional().describe('`cxm drivers`: exposures with fewer outcomes than this in the exposed or the unexposed group are shown but not ranked. Default 30.'),
      sla: z
        .strictObject({
          firstResponseSeconds: z.number().gt(0).optional().describe('A first response slower than this is a "slow first response" exposure. Default: the 75th percentile of the data.'),
        })
        .optional(),
      themes: z
        .record(z.string().min(1), z.array(z.string().min(1)).min(1))
        .optional()
        .describe('Comment themes: name -> keywords (words or phrases, accents and case ignored; a trailing * matches a prefix), e.g. {"delivery": ["tarde", "late", "retras*"]}.'),
    })
    .optional(),
  businessHours: businessHoursSchema.optional(),
  sla: z
    .array(slaTarget)
    .optional()
    .describe('SLA targets; a ticket takes the first whose priority, channel and group match. Measured in business time when businessHours is set, else calendar.'),
  // `cxm check` (issue 4). Shape only here: metric ids, fields and threshold units are checked
  // against the metric catalogue by src/analysis/checks.ts, with errors naming `checks[i].key`.
  checks: z
    .array(
      z
        .strictObject({
          metric: z.string().min(1).describe('Metric id, optionally with a field: "nps", "first_response_time.p90" (fields: value, mean, median, p90, n, ci_low, ci_high).'),
          min: z.union([z.number(), z.string()]).optional().describe('Lowest acceptable value, in raw units or written with its unit: 30, 0.8, "80%", "4h".'),
          max: z.union([z.number(), z.string()]).optional().describe('Highest acceptable value: 0.05, "5%", "4h", 14400 (seconds).'),
          maxDrop: z.union([z.number(), z.string()]).optional().describe('Largest acceptable worsening against the previous period (a fall for higher-is-better metrics, a rise for lower-is-better): 5 (NPS points), "3%" (percentage points), "1h".'),
          vs: z.literal('previous').optional().describe('What maxDrop compares with: the previous period (the only choice, and the default).'),
          period: z.enum(['day', 'week', 'month', 'quarter', 'year']).optional().describe('Period of a maxDrop check. Default: the unit of `over` (last-week: week), else --period, else week.'),
          by: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('Check every segment of this field (or fields) separately: "channel".'),
          over: z.string().min(1).optional().describe('Only records in this range: last-week, last-30d, this-month, 2025-03-01, or "2025-03-01..2025-04-01".'),
          level: z.enum(['error', 'warn']).optional().describe('error (default) fails the run (exit 1); warn is reported only.'),
          optional: z.boolean().optional().describe('A metric the data cannot compute is skipped instead of failing.'),
          mode: z.enum(['point', 'confident']).optional().describe('Overrides --mode for this check.'),
        })
        .refine((c) => c.min !== undefined || c.max !== undefined || c.maxDrop !== undefined, { message: 'a check needs min, max or maxDrop' }),
    )
    .optional()
    .describe('KPI thresholds for `cxm check`: [{"metric": "nps", "min": 30}, {"metric": "csat", "by": "channel", "min": "80%", "level": "warn"}, {"metric": "nps", "maxDrop": 5}].'),
  files: z.array(fileConfigSchema).optional(),
});
export type Config = z.infer<typeof configSchema>;

/** Validates a parsed config object; errors name the key (`files[0].kind: …`). */
export function parseConfig(data: unknown, source: string): Config {
  const result = configSchema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 8).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `${path || '(top level)'}: ${issue.message}`;
  });
  throw new CxmError('INVALID_CONFIG', `${source}: invalid configuration:\n  ${lines.join('\n  ')}`, {
    where: { file: source },
    hint: 'fix the keys above; `cxm config schema` prints the JSON Schema of the file',
  });
}

/** The JSON Schema of the config file, derived from the zod schema. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
