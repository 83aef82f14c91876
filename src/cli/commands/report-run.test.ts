/**
 * `loadForAnalysis`, the loading step report, export and check share: a single export streams
 * into the one engine run the caller plans, and the streamed run gives the rows of the kept one.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMetrics } from '../../analysis/engine.js';
import { METRICS } from '../../metrics/registry.js';
import { loadForAnalysis, type Analysis, type StreamPlan } from './report-run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const NPS_FILE = path.join(ROOT, 'fixtures/demo/encuestas_nps.csv');
/** The options commander gives a command with no flag set (the defaults of inputOptions). */
const RAW = { maxRejectRate: '0.05', now: '2026-01-01' };

const planAll = ({ since, until }: Analysis): StreamPlan => ({ metrics: METRICS, period: 'month', by: ['channel'], since, until });

describe('loadForAnalysis', () => {
  it('streams a single survey export into the planned run (every metric), with the rows of the kept records', async () => {
    const streamed = await loadForAnalysis([NPS_FILE], RAW, planAll);
    const kept = await loadForAnalysis([NPS_FILE], RAW, () => null);
    expect(streamed.dataset.streamed('survey')).toBe(true);
    expect(streamed.plan?.metrics).toBe(METRICS);
    expect(kept.dataset.streamed('survey')).toBe(false);
    expect(kept.stream).toBeNull();
    const frame = (run: typeof kept) => ({ ...planAll(run.analysis), settings: run.analysis.settings, zone: run.analysis.zone, weekStart: run.analysis.weekStart, now: run.analysis.now });
    const a = runMetrics(streamed.dataset, frame(streamed), streamed.stream);
    const b = runMetrics(kept.dataset, frame(kept), null);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    // 1,000-odd answers: nps overall rests on more than 500 of them.
    expect(a.rows.find((row) => row.id === 'nps' && row.period === null && row.segment === null)!.result.n).toBeGreaterThan(500);
    expect(streamed.dataset.inputs).toEqual(kept.dataset.inputs);
  });

  it('keeps the records of an html report (its drivers need them)', async () => {
    const run = await loadForAnalysis([NPS_FILE], { ...RAW, format: 'html' }, planAll);
    expect(run.dataset.streamed('survey')).toBe(false);
    expect(run.stream).toBeNull();
  });

  it('a plan that cannot be made streams nothing, and the frame is resolved after loading as before', async () => {
    const run = await loadForAnalysis([NPS_FILE], RAW, () => {
      throw new Error('unknown metric');
    });
    expect(run.dataset.streamed('survey')).toBe(false);
    expect(run.plan).toBeNull();
    expect(run.analysis.now).toBe(Date.UTC(2026, 0, 1));
  });
});
