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
