/**
 * Display of raw values (DESIGN.md: JSON and CSV stay raw; humanising is the renderers' job):
 * `42.1%`, `3h 05m`, `+23.4`, `1,234`.
 */
import type { Unit } from '../metrics/types.js';

export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  // Below 59.5 s: 59.6 rounds to a whole minute and is written `1m 00s`, not `60s`.
  if (s < 59.5) return `${sign}${s < 10 ? s.toFixed(1).replace(/\.0$/, '') : Math.round(s)}s`;
  s = Math.round(s);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  if (d > 0) return `${sign}${d}d ${String(h).padStart(2, '0')}h`;
  if (h > 0) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  return `${sign}${m}m ${String(sec).padStart(2, '0')}s`;
}

function grouped(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A value in its unit, for people. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'points':
      return `${value > 0 ? '+' : ''}${value.toFixed(1)}`;
    case 'share':
      return `${(value * 100).toFixed(1)}%`;
    case 'seconds':
      return formatDuration(value);
    case 'count':
      return grouped(value, Number.isInteger(value) ? 0 : 1);
    case 'score':
    case 'ratio':
      return value.toFixed(2);
    case 'money':
      return grouped(value, 2);
    case 'per_100':
      return `${value.toFixed(2)} /100`;
    case 'per_day':
      return `${value.toFixed(1)}/day`;
  }
}

/** A difference in the metric's unit: percentage points for shares, signed. */
export function formatChange(difference: number, unit: Unit): string {
  const sign = difference > 0 ? '+' : difference < 0 ? '-' : '±';
  const abs = Math.abs(difference);
  switch (unit) {
    case 'share':
      return `${sign}${(abs * 100).toFixed(1)} pp`;
    case 'points':
      return `${sign}${abs.toFixed(1)}`;
    case 'seconds':
      return `${sign}${formatDuration(abs)}`;
    default:
      return `${sign}${formatValue(abs, unit)}`;
  }
}

/** `18.9 – 27.9` in the metric's display unit. */
export function formatInterval(ci: [number, number] | null, unit: Unit): string {
  if (!ci) return '';
  if (unit === 'points') return `${ci[0].toFixed(1)} – ${ci[1].toFixed(1)}`;
  return `${formatValue(ci[0], unit)} – ${formatValue(ci[1], unit)}`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of a series; null values are gaps. */
export function sparkline(values: readonly (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return '';
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (max === min) return BARS[3];
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))];
    })
    .join('');
}

/** A horizontal bar of `width` cells for a share 0..1. */
export function bar(share: number, width = 20): string {
  const cells = Math.max(0, Math.min(width, share * width));
  const full = Math.floor(cells);
  const partial = cells - full;
  const eighths = ' ▏▎▍▌▋▊▉';
  return '█'.repeat(full) + (partial > 0 && full < width ? eighths[Math.round(partial * 7)] : '');
}
