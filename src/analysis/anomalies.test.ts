import { describe, expect, it } from 'vitest';
import { ANOMALY_DEFAULTS, MEAN_AD_NORMAL_SCALE, anomalyBands, markAnomalies, type SeriesEntry } from './anomalies.js';

describe('anomalyBands', () => {
  it('judges a value against median ± 3 × scaled MAD of the trailing values', () => {
    // history 10, 11, 9, 10: median 10, |dev| 0, 1, 1, 0 -> MAD 0.5, scaled 0.5 × 1.4826 = 0.7413
    // band 10 ± 3 × 0.7413 = [7.7761, 12.2239]
    const bands = anomalyBands([10, 11, 9, 10, 30]);
    expect(bands.slice(0, 4)).toEqual([null, null, null, null]);
    expect(bands[4]!.median).toBe(10);
    expect(bands[4]!.mad).toBeCloseTo(0.7413, 10);
    expect(bands[4]!.low).toBeCloseTo(7.7761, 10);
    expect(bands[4]!.high).toBeCloseTo(12.2239, 10);
    expect(bands[4]!.flagged).toBe(true);
    expect(anomalyBands([10, 11, 9, 10, 12])[4]!.flagged).toBe(false);
    expect(anomalyBands([10, 11, 9, 10, 7.7])[4]!.flagged).toBe(true);
  });

  it('needs minHistory trailing values; periods without a value neither count nor get a band', () => {
    const bands = anomalyBands([10, null, 11, 9, null, 30, 10]);
    // index 5: history 10, 11, 9 (three values): no band
    expect(bands[5]).toBeNull();
    expect(bands[4]).toBeNull();
    // index 6: history 10, 11, 9, 30 -> median 10.5
    expect(bands[6]!.median).toBe(10.5);
  });

  it('uses only the trailing N periods', () => {
    // with trailing 4 the early 100s drop out of the window of the last value
    const values = [100, 100, 100, 100, 10, 11, 9, 10, 10];
    expect(anomalyBands(values, { ...ANOMALY_DEFAULTS, trailing: 4 })[8]!.median).toBe(10);
    // with 8 the window is 100, 100, 100, 100, 10, 11, 9, 10: sorted 9 10 10 11 | 100 … -> (11 + 100)/2
    expect(anomalyBands(values, ANOMALY_DEFAULTS)[8]!.median).toBe(55.5);
  });

  it('falls back to the scaled mean absolute deviation when the MAD is 0', () => {
    // history 5, 5, 5, 6, 5: MAD 0; mean |dev| = 1/5 = 0.2, × 1.2533 = 0.25066; high = 5 + 3 × 0.25066 = 5.75198
    const [band] = anomalyBands([5, 5, 5, 6, 5, 9]).slice(5);
    expect(band!.mad).toBeCloseTo(0.2 * MEAN_AD_NORMAL_SCALE, 12);
    expect(band!.high).toBeCloseTo(5.75198, 5);
    expect(band!.flagged).toBe(true);
    expect(anomalyBands([5, 5, 5, 6, 5, 5.5])[5]!.flagged).toBe(false);
  });

  it('flags any change from a constant history', () => {
    expect(anomalyBands([0, 0, 0, 0, 0])[4]).toEqual({ median: 0, mad: 0, low: 0, high: 0, flagged: false });
    expect(anomalyBands([0, 0, 0, 0, 1])[4]!.flagged).toBe(true);
  });

  it('honours k', () => {
    // band 10 ± k × 0.7413: 12 is inside with k = 3 (12.22), outside with k = 2 (11.48)
    expect(anomalyBands([10, 11, 9, 10, 12], { ...ANOMALY_DEFAULTS, k: 2 })[4]!.flagged).toBe(true);
  });
});

describe('markAnomalies', () => {
  const row = (id: string, period: string | null, value: number | null, segment: Record<string, string> | null = null): SeriesEntry => ({
    id,
    period,
    segment,
    value,
    anomaly: null,
  });

  it('bands each metric × segment series separately and leaves rows without a period alone', () => {
    const rows = [
      row('nps', null, 12),
      ...[10, 11, 9, 10, 30].map((v, i) => row('nps', `W${i}`, v)),
      ...[10, 11, 9, 10, 11].map((v, i) => row('nps', `W${i}`, v, { channel: 'web' })),
      ...[1, 2, 3].map((v, i) => row('csat', `W${i}`, v)),
    ];
    markAnomalies(rows);
    expect(rows[0]!.anomaly).toBeNull();
    expect(rows[5]!.anomaly!.flagged).toBe(true);
    expect(rows[10]!.anomaly!.flagged).toBe(false);
    expect(rows.filter((r) => r.id === 'csat').every((r) => r.anomaly === null)).toBe(true);
  });
});
