/**
 * Anomalies in a metric's series of periods: a period is flagged when its value falls outside a
 * robust band around the trailing periods, median ± k·MAD (the MAD scaled by 1.4826 so that it
 * estimates a standard deviation of normal data; Hampel 1974; Leys et al. 2013, "Detecting
 * outliers: do not use standard deviation around the mean, use absolute deviation around the
 * median", J. Exp. Soc. Psychol. 49:764-766). Defaults: k = 3 over the 8 trailing periods, and no
 * band at all with fewer than 4 of them (periods with no value do not count).
 *
 * When the trailing values have MAD 0 (more than half of them equal) the spread is the mean
 * absolute deviation around the median scaled by 1.2533 (√(π/2), its normal consistency constant),
 * as in the modified z-score of Iglewicz & Hoaglin (1993), "How to detect and handle outliers";
 * when that is 0 too, every trailing value is the same and any other value is flagged.
 *
 * @module
 */
import { mad, median } from '../metrics/stats/index.js';

/** Normal consistency constant of the mean absolute deviation, √(π/2). */
export const MEAN_AD_NORMAL_SCALE = 1.2533;

export interface AnomalyOptions {
  /** Width of the band in scaled MADs. Default 3. */
  k: number;
  /** How many trailing periods make the band. Default 8. */
  trailing: number;
  /** Least trailing periods with a value for a band. Default 4. */
  minHistory: number;
}

export const ANOMALY_DEFAULTS: AnomalyOptions = { k: 3, trailing: 8, minHistory: 4 };

/** The band a period's value is judged against. */
export interface AnomalyBand {
  /** Median of the trailing values. */
  median: number;
  /** Their scaled MAD (or the scaled mean absolute deviation when the MAD is 0). */
  mad: number;
  low: number;
  high: number;
  /** The value lies outside [low, high]. */
  flagged: boolean;
}

/**
 * The band of each value of a series against the values before it: null where the value is null
 * or fewer than `minHistory` of the `trailing` values before it are known.
 *
 * @example anomalyBands([10, 11, 9, 10, 30]) // [null, null, null, null, { median: 10, mad: 0.7413, low: 7.78, high: 12.22, flagged: true }]
 */
export function anomalyBands(values: readonly (number | null)[], options: AnomalyOptions = ANOMALY_DEFAULTS): (AnomalyBand | null)[] {
  return values.map((value, i) => {
    if (value === null || !Number.isFinite(value)) return null;
    const history = values.slice(Math.max(0, i - options.trailing), i).filter((v): v is number => v !== null && Number.isFinite(v));
    if (history.length < options.minHistory) return null;
    const m = median(history)!;
    let spread = mad(history, { scaled: true })!;
    if (spread === 0) {
      let sum = 0;
      for (const v of history) sum += Math.abs(v - m);
      spread = (sum / history.length) * MEAN_AD_NORMAL_SCALE;
    }
    const low = m - options.k * spread;
    const high = m + options.k * spread;
    return { median: m, mad: spread, low, high, flagged: value < low || value > high };
  });
}

/** What {@link markAnomalies} reads and writes on a report row. */
export interface SeriesEntry {
  id: string;
  period: string | null;
  segment: Record<string, string> | null;
  value: number | null;
  anomaly: AnomalyBand | null;
}

/**
 * Sets `anomaly` on every period row (rows without a period keep null): rows are grouped into
 * series by metric and segment, in the order given (the report lists periods in time order).
 */
export function markAnomalies(entries: SeriesEntry[], options: AnomalyOptions = ANOMALY_DEFAULTS): void {
  const series = new Map<string, SeriesEntry[]>();
  for (const entry of entries) {
    if (entry.period === null) continue;
    const key = `${entry.id}\u0000${JSON.stringify(entry.segment)}`;
    let list = series.get(key);
    if (!list) series.set(key, (list = []));
    list.push(entry);
  }
  for (const list of series.values()) {
    const bands = anomalyBands(
      list.map((e) => e.value),
      options,
    );
    list.forEach((entry, i) => {
      entry.anomaly = bands[i]!;
    });
  }
}
