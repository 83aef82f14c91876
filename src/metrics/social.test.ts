import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord, SocialRecord } from '../schema/records.js';
import { SOCIAL_METRICS, isComplaintPost } from './social.js';
import { accumulate as feed, datasetOf as oneInputDataset, expectMergeable, maybe, metricOf, recordFactory, TEST_SETTINGS as SETTINGS, WHOLE } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult } from './types.js';

const post = recordFactory('social');

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'social', 'social.csv');

const metric = (id: string): MetricDefinition => metricOf(SOCIAL_METRICS, id);

const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, settings = SETTINGS): Accumulator => feed(def, records, dataset, WHOLE, settings);

const compute = (id: string, records: readonly CxRecord[], settings = SETTINGS): MetricResult => accumulate(metric(id), records, datasetOf(records), settings).result();

const POSTS: SocialRecord[] = [
  post({ platform: 'twitter', postKind: 'complaint', likes: 10, comments: 2, shares: 3 }),
  post({ platform: 'twitter', postKind: 'mention', likes: 4 }),
  post({ platform: 'instagram', postKind: 'Queja', likes: 0, comments: 0, shares: 0 }),
  post({ platform: 'instagram', postKind: 'review' }),
  post({ text: 'no platform, no kind' }),
];

describe('catalogue', () => {
  it('lists the social ids of DESIGN.md', () => {
    expect(SOCIAL_METRICS.map((m) => m.id)).toEqual(['social_mentions', 'social_engagement', 'estimated_complainers']);
    expect(SOCIAL_METRICS.every((m) => m.domain === 'social' && m.kinds.includes('social'))).toBe(true);
  });

  it('says "no social records" for every metric when there are none, and gives n = 0', () => {
    for (const m of SOCIAL_METRICS) {
      expect(m.unavailable(datasetOf([]))).toBe('no social records among the inputs');
      const r = compute(m.id, []);
      expect(r).toMatchObject({ n: 0, ci95: null, value: m.id === 'social_mentions' ? 0 : null });
    }
  });
});

describe('social_mentions', () => {
  it('counts posts by platform and kind', () => {
    const r = compute('social_mentions', POSTS);
    expect(r).toMatchObject({ value: 5, n: 5 });
    expect(r.detail).toEqual({
      by_platform: { instagram: 2, twitter: 2, unknown: 1 },
      by_kind: { Queja: 1, complaint: 1, mention: 1, review: 1, unknown: 1 },
    });
  });
});

describe('social_engagement', () => {
  it('averages likes + comments + shares over the posts that record any', () => {
    const r = compute('social_engagement', POSTS);
    // per post: 10 + 2 + 3 = 15; 4 (comments and shares missing: 0); 0; the last two record
    // none and stay out: (15 + 4 + 0) / 3
    expect(r.value).toBeCloseTo(19 / 3, 12);
    expect(r.n).toBe(3);
    expect(r.detail).toMatchObject({ posts: 3, likes: 14, comments: 2, shares: 3, posts_without_engagement: 2 });
    expect(r.detail.denominator).toMatch(/posts with likes, comments or shares/);
    // t interval: mean 6.333, s² = ((15 − 6.333)² + (4 − 6.333)² + (0 − 6.333)²) / 2 = 60.333,
    // se = √(60.333 / 3) = 4.4845, t(0.975, 2) = 4.3027: half-width 19.295
    expect(r.ci95![0]).toBeCloseTo(19 / 3 - 19.295, 2);
    expect(r.ci95![1]).toBeCloseTo(19 / 3 + 19.295, 2);
  });

  it('gives a single post its own engagement without an interval', () => {
    expect(compute('social_engagement', [post({ shares: 7 })])).toMatchObject({ value: 7, n: 1, ci95: null });
  });

  it('is unavailable without likes, comments or shares', () => {
    expect(metric('social_engagement').unavailable(datasetOf([post({ platform: 'x' })]))).toBe('social posts have no likes, comments or shares');
    expect(metric('social_engagement').unavailable(datasetOf([post({ comments: 1 })]))).toBeNull();
  });
});

describe('estimated_complainers', () => {
  it('divides the complaint posts by the share of unhappy customers who complain publicly', () => {
    expect(POSTS.map(isComplaintPost)).toEqual([true, false, true, false, false]);
    const r = compute('estimated_complainers', POSTS);
    // 2 complaints (complaint, Queja) / 0.03 = 66.67 unhappy customers
    expect(r.value).toBeCloseTo(200 / 3, 9);
    expect(r).toMatchObject({ n: 2, ci95: null, detail: { complaints: 2, posts: 5, assumed_share: 0.03 } });
    expect(r.detail.assumption).toMatch(/about 3% of unhappy customers complain .* each visible complaint stands for 33.3 unhappy customers/);
  });

  it('follows the configured share', () => {
    // 2 / 0.05 = 40
    expect(compute('estimated_complainers', POSTS, { ...SETTINGS, socialComplaintShare: 0.05 }).value).toBeCloseTo(40, 9);
  });

  it('estimates 0 from posts without complaints', () => {
    expect(compute('estimated_complainers', [post({ postKind: 'praise' })])).toMatchObject({ value: 0, n: 0 });
  });

  it('is unavailable without post kinds', () => {
    expect(metric('estimated_complainers').unavailable(datasetOf([post({ likes: 1 })]))).toMatch(/no kind/);
    expect(metric('estimated_complainers').unavailable(datasetOf(POSTS))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const postArb = fc
  .record({
    platform: maybe(fc.constantFrom('twitter', 'instagram', 'facebook')),
    postKind: maybe(fc.constantFrom('complaint', 'mention', 'review', 'Reclamación')),
    likes: maybe(fc.integer({ min: 0, max: 1000 })),
    comments: maybe(fc.integer({ min: 0, max: 100 })),
    shares: maybe(fc.integer({ min: 0, max: 100 })),
  })
  .map((fields) => post(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))));

describe('merge', () => {
  it('two accumulators over a split of the posts, merged, equal one over all of them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(postArb, fc.boolean()), { maxLength: 60 }), (pairs) => {
        const records = pairs.map(([r]) => r);
        expectMergeable(SOCIAL_METRICS, records, (_, i) => pairs[i]![1], datasetOf(records));
      }),
      { numRuns: 150 },
    );
  });
});
