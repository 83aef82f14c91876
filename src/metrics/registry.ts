/**
 * The metric catalogue: every metric cxm computes, in one list. `cxm metrics`, the README table,
 * `cxm report` and the checks all read it. Ids are public (thresholds and exports name them), so
 * the registry refuses two metrics with the same id.
 */
import { CALL_METRICS } from './calls.js';
import { COMMERCE_METRICS } from './commerce.js';
import { CUSTOMER_METRICS } from './customers.js';
import { JOURNEY_DEFAULTS, JOURNEY_METRICS, defaultFrustrationFrom } from './journey.js';
import { compileSchedule } from './business-hours.js';
import { SLA_METRICS, compileSlaTargets } from './sla.js';
import { SOCIAL_METRICS } from './social.js';
import { SURVEY_METRICS } from './surveys.js';
import { TICKET_EVENT_METRICS } from './ticket-events.js';
import { TICKET_METRICS } from './tickets.js';
import type { MetricDefinition, MetricSettings } from './types.js';
import type { Config } from '../schema/config.js';
import type { Scales } from '../schema/kinds.js';

function register(families: readonly (readonly MetricDefinition[])[]): readonly MetricDefinition[] {
  const seen = new Map<string, MetricDefinition>();
  for (const family of families) {
    for (const metric of family) {
      if (seen.has(metric.id)) throw new Error(`metric id "${metric.id}" is registered twice`);
      seen.set(metric.id, metric);
    }
  }
  return [...seen.values()];
}

export const METRICS: readonly MetricDefinition[] = register([
  SURVEY_METRICS,
  TICKET_METRICS,
  CALL_METRICS,
  COMMERCE_METRICS,
  CUSTOMER_METRICS,
  SOCIAL_METRICS,
  SLA_METRICS,
  TICKET_EVENT_METRICS,
  JOURNEY_METRICS,
]);

export function metricById(id: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.id === id);
}

/**
 * The settings metrics read, from the config with the documented defaults. CSAT counts the top two
 * points of a 5-point scale as satisfied (4 and 5), the top box of other scales (e.g. 9-10 on 1-10,
 * 6-7 on 1-7: the top 20% of the range, rounded); CES low effort is 5-7 on 1-7 agreement and 1-2
 * on a 1-5 effort scale.
 */
export function resolveSettings(config: Config, scales: Scales): MetricSettings {
  const csat = scales.csat;
  const span = csat.max - csat.min;
  const defaultPositive = span === 4 ? csat.max - 1 : Math.ceil(csat.max - span * 0.2);
  const ces = config.scales?.ces;
  const cesDirection = ces?.direction ?? 'higher-is-easier';
  const cesDefault = cesDirection === 'higher-is-easier' ? scales.ces.max - 2 : scales.ces.min + 1;
  return {
    scales,
    csatPositiveFrom: config.scales?.csat?.positiveFrom ?? defaultPositive,
    csatRule: config.csatRule ?? 'all-answers',
    cesLowEffortFrom: ces?.lowEffortFrom ?? cesDefault,
    cesDirection,
    minSample: config.minSample ?? 30,
    shortAbandonSeconds: config.calls?.shortAbandonSeconds ?? 5,
    serviceLevelSeconds: config.calls?.serviceLevelSeconds ?? 20,
    socialComplaintShare: config.social?.complaintShare ?? 0.03,
    grossMargin: config.clv?.grossMargin ?? null,
    recurringWindowDays: config.tickets?.recurringWindowDays ?? 7,
    // Business hours and SLAs; --time and --schedule-rule override the config's defaults (report-run.ts).
    businessHours: config.businessHours ? compileSchedule(config.businessHours, config.timezone ?? 'UTC') : null,
    time: config.businessHours?.time ?? 'calendar',
    scheduleRule: config.businessHours?.scheduleRule ?? 'at-event',
    sla: compileSlaTargets(config.sla),
    earlyLifeDays: config.journey?.earlyLifeDays ?? JOURNEY_DEFAULTS.earlyLifeDays,
    repeatContactDays: config.journey?.repeatContactDays ?? JOURNEY_DEFAULTS.repeatContactDays,
    frustrationFrom: config.journey?.frustrationFrom ?? defaultFrustrationFrom(scales.frustration),
    timezone: config.timezone ?? 'UTC',
  };
}
