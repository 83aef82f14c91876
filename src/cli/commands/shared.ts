/**
 * Options of the commands that compute metrics (report, export, check): periods, segments, ranges.
 */
import { Option } from 'commander';
import { SCHEDULE_RULES, TIME_BASES } from '../../metrics/clock-options.js';
import type { MetricSettings } from '../../metrics/types.js';

export function analysisOptions(): Option[] {
  return [
    new Option('--by <field>', 'break down by this field or column (channel, segment, category, agent, priority, any attribute); repeatable').argParser(
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    ),
    new Option('--period <unit>', 'compute each metric per period and compare each period with the previous one').choices(['day', 'week', 'month', 'quarter', 'year'] as const),
    new Option('--week-start <day>', 'first day of a week (ISO weeks start on Monday)').choices(['monday', 'sunday'] as const),
    new Option('--since <when>', 'only records from this date on: 2025-03-01, or relative: last-week, last-month, last-30d, ytd'),
    new Option('--until <when>', 'only records before this date (exclusive): 2025-04-01, or relative'),
    new Option('--now <instant>', 'the current time for relative ranges (reproducible runs), e.g. 2025-06-02T09:00'),
    new Option(
      '--time <clock>',
      'clock of response, resolution and wait times: business (the config\'s businessHours schedule, else the export\'s business-hours columns) or calendar; with business, the call metrics count only calls offered within business hours; JSON shows both (default: businessHours.time in the config, else calendar)',
    ).choices(TIME_BASES),
    new Option(
      '--schedule-rule <rule>',
      'a ticket open while the schedule changed: at-event (the schedule in force at the reply or solve covers the whole duration, as Zendesk does) or cumulative (each stretch under the schedule then in force) (default: businessHours.scheduleRule, else at-event)',
    ).choices(SCHEDULE_RULES),
  ];
}

/**
 * Applies `--time` and `--schedule-rule` over the settings the config gave, and says what the
 * report should warn about (business time asked for without a schedule).
 */
export function applyClockOptions(settings: MetricSettings, raw: Record<string, unknown>): { settings: MetricSettings; warnings: string[] } {
  const time = (raw.time as MetricSettings['time']) ?? settings.time ?? 'calendar';
  const scheduleRule = (raw.scheduleRule as MetricSettings['scheduleRule']) ?? settings.scheduleRule ?? 'at-event';
  const warnings: string[] = [];
  if (time === 'business' && !settings.businessHours) {
    warnings.push('--time business without a businessHours schedule in the config: business times come only from the export\'s business-hours columns (e.g. "First reply time in minutes within business hours")');
  }
  if (raw.scheduleRule !== undefined && !settings.businessHours) warnings.push('--schedule-rule has no effect without a businessHours schedule in the config');
  return { settings: { ...settings, time, scheduleRule }, warnings };
}
