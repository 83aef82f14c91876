/**
 * Social-media metrics: mentions, engagement per post and the customers the visible complaints
 * stand for.
 *
 * A post is a complaint when its kind reads as one with the words the ticket family uses for
 * complaint tickets (complaint, claim, queja, reclamación, reclamo), so `complaint_volume` and
 * `estimated_complainers` agree on what a complaint is.
 *
 * @module
 */
import type { CxRecord, SocialRecord } from '../schema/records.js';
import { Tally, countResult, fieldPresent, meanResult, missingKinds, sameAccumulator } from './helpers.js';
import { MeanVar } from './stats/index.js';
import { ticketTypeClass } from './tickets.js';
import type { Accumulator, MetricDefinition, MetricResult } from './types.js';

/** Does the post's kind read as a complaint? */
export function isComplaintPost(post: SocialRecord): boolean {
  return ticketTypeClass(post.postKind) === 'complaint';
}

// ---------------------------------------------------------------------------------------
// social_mentions

class MentionsAccumulator implements Accumulator {
  posts = 0;
  readonly byPlatform = new Tally<string>();
  readonly byKind = new Tally<string>();

  add(record: CxRecord): void {
    if (record.kind !== 'social') return;
    this.posts++;
    this.byPlatform.add(record.platform ?? 'unknown');
    this.byKind.add(record.postKind ?? 'unknown');
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.posts += o.posts;
    this.byPlatform.merge(o.byPlatform);
    this.byKind.merge(o.byKind);
  }

  result(): MetricResult {
    return countResult(this.posts, { by_platform: this.byPlatform.toObject('count'), by_kind: this.byKind.toObject('count') });
  }
}

const socialMentions: MetricDefinition = {
  id: 'social_mentions',
  label: 'Social mentions',
  unit: 'count',
  direction: 'neutral',
  domain: 'social',
  kinds: ['social'],
  needs: 'social records',
  formula: 'posts in the period; detail by platform and by kind',
  unavailable: (dataset) => missingKinds(dataset, ['social']),
  streaming: true,
  create: () => new MentionsAccumulator(),
};

// ---------------------------------------------------------------------------------------
// social_engagement

const ENGAGEMENT_FIELDS = ['likes', 'comments', 'shares'] as const;

/**
 * Interactions per post. A post that records none of likes, comments or shares is unknown, not
 * 0, and stays out of the denominator; one that records some reads the others as 0 (a file
 * without a shares column still measures likes and comments).
 */
class EngagementAccumulator implements Accumulator {
  readonly perPost = new MeanVar();
  readonly totals = { likes: 0, comments: 0, shares: 0 };
  withoutEngagement = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'social') return;
    if (ENGAGEMENT_FIELDS.every((f) => record[f] === undefined)) {
      this.withoutEngagement++;
      return;
    }
    let sum = 0;
    for (const f of ENGAGEMENT_FIELDS) {
      const v = record[f] ?? 0;
      this.totals[f] += v;
      sum += v;
    }
    this.perPost.add(sum);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.perPost.merge(o.perPost);
    for (const f of ENGAGEMENT_FIELDS) this.totals[f] += o.totals[f];
    this.withoutEngagement += o.withoutEngagement;
  }

  result(): MetricResult {
    return meanResult(this.perPost, {
      posts: this.perPost.count,
      ...this.totals,
      denominator: 'posts with likes, comments or shares recorded',
      posts_without_engagement: this.withoutEngagement,
    });
  }
}

const socialEngagement: MetricDefinition = {
  id: 'social_engagement',
  label: 'Engagement per post',
  unit: 'ratio',
  direction: 'higher',
  domain: 'social',
  kinds: ['social'],
  needs: 'social.likes, social.comments or social.shares',
  formula: '(likes + comments + shares) / posts with any of them recorded; 95% CI t',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['social']);
    if (missing) return missing;
    return ENGAGEMENT_FIELDS.some((f) => fieldPresent(dataset, 'social', f)) ? null : 'social posts have no likes, comments or shares';
  },
  streaming: true,
  create: () => new EngagementAccumulator(),
};

// ---------------------------------------------------------------------------------------
// estimated_complainers

class ComplainersAccumulator implements Accumulator {
  posts = 0;
  complaints = 0;

  constructor(private readonly share: number) {}

  add(record: CxRecord): void {
    if (record.kind !== 'social') return;
    this.posts++;
    if (isComplaintPost(record)) this.complaints++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.posts += o.posts;
    this.complaints += o.complaints;
  }

  result(): MetricResult {
    return {
      // No posts: nothing was observed (null); posts without complaints: an estimate of 0.
      value: this.posts === 0 ? null : this.complaints / this.share,
      n: this.complaints,
      // The assumed share, not sampling, dominates the uncertainty, and no interval captures it.
      ci95: null,
      detail: {
        complaints: this.complaints,
        posts: this.posts,
        assumed_share: this.share,
        assumption: `about ${+(this.share * 100).toFixed(2)}% of unhappy customers complain where it can be seen on social media (setting socialComplaintShare), so each visible complaint stands for ${+(1 / this.share).toFixed(1)} unhappy customers`,
      },
    };
  }
}

const estimatedComplainers: MetricDefinition = {
  id: 'estimated_complainers',
  label: 'Estimated unhappy customers',
  unit: 'count',
  direction: 'lower',
  domain: 'social',
  kinds: ['social'],
  needs: 'social.postKind',
  formula: 'complaint posts / socialComplaintShare (default 0.03: the share of unhappy customers who complain publicly); no CI',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['social']);
    if (missing) return missing;
    return fieldPresent(dataset, 'social', 'postKind') ? null : 'social posts have no kind (complaint, mention, review…), so complaints cannot be told apart';
  },
  streaming: true,
  create: (settings) => new ComplainersAccumulator(settings.socialComplaintShare),
};

/** The social family, in catalogue order. */
export const SOCIAL_METRICS: readonly MetricDefinition[] = [socialMentions, socialEngagement, estimatedComplainers];
