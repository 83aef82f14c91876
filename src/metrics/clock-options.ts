/**
 * The values of `--time` and `--schedule-rule`, apart from the business-hours arithmetic so that
 * the CLI can list them in its help without loading it (`cxm --help` start-up time).
 */
export const SCHEDULE_RULES = ['at-event', 'cumulative'] as const;
export const TIME_BASES = ['business', 'calendar'] as const;
