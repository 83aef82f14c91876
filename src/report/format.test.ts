import { describe, expect, it } from 'vitest';
import { bar, formatChange, formatDuration, formatInterval, formatValue, sparkline } from './format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [7, '7s'],
    [7.25, '7.3s'],
    [42.4, '42s'],
    [59.4, '59s'],
    [60, '1m 00s'],
    [185, '3m 05s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [11100, '3h 05m'],
    [11159, '3h 05m'], // minutes are truncated, not rounded
    [86_399, '23h 59m'],
    [86_400, '1d 00h'],
    [90000, '1d 01h'],
    [-185, '-3m 05s'],
    [-5, '-5s'],
  ])('%d s -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('a duration that rounds to a whole minute is written in minutes, not as 60s', () => {
    expect(formatDuration(59.6)).toBe('1m 00s');
    expect(formatDuration(-59.7)).toBe('-1m 00s');
  });
});

describe('formatValue', () => {
  it.each([
    [23.4, 'points', '+23.4'],
    [-5, 'points', '-5.0'],
    [0, 'points', '0.0'],
    [0.421, 'share', '42.1%'],
    [1, 'share', '100.0%'],
    [185, 'seconds', '3m 05s'],
    [1234, 'count', '1,234'],
    [12.34, 'count', '12.3'],
    [4.256, 'score', '4.26'],
    [1.5, 'ratio', '1.50'],
    [1234.5, 'money', '1,234.50'],
    [-20, 'money', '-20.00'],
    [1.5, 'per_100', '1.50 /100'],
    [3.26, 'per_day', '3.3/day'],
  ] as const)('%d %s -> %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });

  it('null and non-finite values are a dash', () => {
    expect(formatValue(null, 'share')).toBe('—');
    expect(formatValue(Number.NaN, 'points')).toBe('—');
    expect(formatValue(Number.POSITIVE_INFINITY, 'seconds')).toBe('—');
  });
});

describe('formatChange and formatInterval', () => {
  it('changes are signed; shares in percentage points', () => {
    expect(formatChange(0.052, 'share')).toBe('+5.2 pp');
    expect(formatChange(-0.1, 'share')).toBe('-10.0 pp');
    expect(formatChange(-12.34, 'points')).toBe('-12.3');
    expect(formatChange(0, 'points')).toBe('±0.0');
    expect(formatChange(-185, 'seconds')).toBe('-3m 05s');
    expect(formatChange(1500, 'count')).toBe('+1,500');
  });
  it('intervals', () => {
    expect(formatInterval([18.94, 27.86], 'points')).toBe('18.9 – 27.9');
    expect(formatInterval([0.1, 0.25], 'share')).toBe('10.0% – 25.0%');
    expect(formatInterval(null, 'share')).toBe('');
  });
});

describe('sparkline', () => {
  it('maps min..max to the eight bars', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 0, 5])).toBe('█▁▅');
  });
  it('a flat series is mid-height; gaps are spaces', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([1, null, 3, Number.NaN])).toBe('▁ █ ');
  });
  it('nothing to draw is an empty string', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([null, null])).toBe('');
  });
});

describe('bar', () => {
  it('full cells for the share of the width', () => {
    expect(bar(0.5, 10)).toBe('█████');
    expect(bar(1, 10)).toBe('██████████');
    expect(bar(0, 10)).toBe('');
    expect(bar(0.5)).toBe('█'.repeat(10));
  });
  it('a partial cell for the remainder', () => {
    expect(bar(0.25, 10)).toBe('██▌');
    expect(bar(0.01, 10)).toBe('▏');
  });
  it('clamps shares outside 0..1', () => {
    expect(bar(1.7, 10)).toBe('██████████');
    expect(bar(-0.3, 10)).toBe('');
  });
});
