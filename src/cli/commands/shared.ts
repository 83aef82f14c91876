/**
 * Options of the commands that compute metrics (report, export, check): periods, segments, ranges.
 */
import { Option } from 'commander';

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
  ];
}
