/**
 * Survey metrics: NPS, CSAT, CES and the survey response rate.
 *
 * CSAT counts every satisfaction answer the inputs carry (survey, ticket and call records), and
 * the response rate counts ticket surveys too (Zendesk's `Offered` = sent, not answered), so a
 * help-desk export alone gives both.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CxRecord, SurveyRecord, TicketRecord } from '../schema/records.js';
import { Tally, fieldPresent, fold, meanResult, missingKinds, rate, sameAccumulator } from './helpers.js';
import { MeanVar, npsAdjustedWald, wilson } from './stats/index.js';
import type { Accumulator, Links, MetricDefinition, MetricResult, MetricSettings } from './types.js';

// ---------------------------------------------------------------------------------------
// nps

/**
 * `text.trim() === ''`, without trimming a text that starts with a printable ASCII character
 * (most comments): such a text is never blank.
 */
export function isBlankText(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  if (c > 32 && c < 127) return false;
  return text.trim() === '';
}

/** Counts of 0-10 answers and of answers with a comment; everything the NPS needs. */
class NpsAccumulator implements Accumulator {
  readonly distribution = new Array<number>(11).fill(0);
  comments = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'survey') return;
    const score = record.nps;
    // The schema guarantees a whole 0-10 score; a blank is undefined and stays out of n.
    if (score === undefined || !Number.isInteger(score) || score < 0 || score > 10) return;
    this.distribution[score]!++;
    if (record.comment !== undefined && !isBlankText(record.comment)) this.comments++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    for (let s = 0; s <= 10; s++) this.distribution[s]! += o.distribution[s]!;
    this.comments += o.comments;
  }

  result(): MetricResult {
    const d = this.distribution;
    const sum = (from: number, to: number) => d.slice(from, to + 1).reduce((a, b) => a + b, 0);
    const promoters = sum(9, 10);
    const passives = sum(7, 8);
    const detractors = sum(0, 6);
    const n = promoters + passives + detractors;
    const estimate = npsAdjustedWald(promoters, passives, detractors);
    const share = (x: number) => (n === 0 ? null : x / n);
    return {
      value: estimate?.value ?? null,
      n,
      ci95: estimate?.ci ?? null,
      detail: {
        promoters,
        passives,
        detractors,
        promoter_share: share(promoters),
        passive_share: share(passives),
        detractor_share: share(detractors),
        distribution: Object.fromEntries(d.map((count, score) => [String(score), count])),
        comment_rate: share(this.comments),
      },
    };
  }
}

const nps: MetricDefinition = {
  id: 'nps',
  label: 'Net Promoter Score',
  unit: 'points',
  direction: 'higher',
  domain: 'surveys',
  kinds: ['survey'],
  needs: 'survey.nps',
  formula: '100 × (promoters 9-10 − detractors 0-6) / answers; blanks excluded; 95% CI adjusted Wald (Rocks 2016)',
  unavailable(dataset) {
    return missingKinds(dataset, ['survey']) ?? (fieldPresent(dataset, 'survey', 'nps') ? null : 'no survey answers with an NPS score (0-10) among the inputs');
  },
  streaming: true,
  create: () => new NpsAccumulator(),
};

// ---------------------------------------------------------------------------------------
// csat

type CsatSource = 'survey' | 'ticket' | 'call';

class CsatAccumulator implements Accumulator {
  readonly distribution = new Tally<number>();
  /** Answers per source (`detail.sources`): three counters, not a tally, as a record is one of three kinds. */
  readonly sources: Record<CsatSource, number> = { survey: 0, ticket: 0, call: 0 };
  readonly scores = new MeanVar();
  positive = 0;
  neutral = 0;
  negative = 0;

  duplicateTicketAnswers = 0;

  constructor(
    private readonly settings: MetricSettings,
    private readonly surveyedTickets: ReadonlySet<string> = new Set(),
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'survey' && record.kind !== 'ticket' && record.kind !== 'call') return;
    const score = record.csat;
    if (score === undefined || !Number.isFinite(score)) return;
    // A help desk copies the survey answer onto the ticket: when a survey file already holds the
    // answer for this ticket, the ticket's score is the same answer, counted once.
    if (record.kind === 'ticket' && record.id !== undefined && this.surveyedTickets.has(record.id)) {
      this.duplicateTicketAnswers++;
      return;
    }
    this.distribution.add(score);
    if (record.kind === 'survey') this.sources.survey++;
    else if (record.kind === 'ticket') this.sources.ticket++;
    else this.sources.call++;
    this.scores.add(score);
    // How the answer counts. `good-over-rated` leaves out the neutral midpoint of the scale
    // (3 on 1-5, 4 on 1-7; even-point scales such as 1-2 or 1-10 have none) and counts every
    // other answer below `positiveFrom` as negative, so on 1-5 with positive from 4 the rate is
    // (4 + 5) / (1 + 2 + 4 + 5), Zendesk's good / (good + bad).
    const settings = this.settings;
    if (score >= settings.csatPositiveFrom) this.positive++;
    else {
      const { min, max } = settings.scales.csat;
      if (score === (min + max) / 2) this.neutral++;
      else this.negative++;
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.distribution.merge(o.distribution);
    this.sources.survey += o.sources.survey;
    this.sources.ticket += o.sources.ticket;
    this.sources.call += o.sources.call;
    this.scores.merge(o.scores);
    this.duplicateTicketAnswers += o.duplicateTicketAnswers;
    this.positive += o.positive;
    this.neutral += o.neutral;
    this.negative += o.negative;
  }

  result(): MetricResult {
    const s = this.settings;
    const { min, max } = s.scales.csat;
    const allAnswers = s.csatRule === 'all-answers';
    const n = allAnswers ? this.positive + this.neutral + this.negative : this.positive + this.negative;
    const midpoint = (min + max) / 2;
    const rule = allAnswers
      ? `all-answers: answers >= ${s.csatPositiveFrom} / all answers`
      : `good-over-rated: answers >= ${s.csatPositiveFrom} / (those + answers below ${s.csatPositiveFrom}${
          Number.isInteger(midpoint) && midpoint < s.csatPositiveFrom ? `, leaving the neutral midpoint ${midpoint} out` : ''
        })`;
    return rate(this.positive, n, {
      mean: this.scores.count === 0 ? null : this.scores.mean,
      distribution: this.distribution.toObject(),
      rule,
      positive_from: s.csatPositiveFrom,
      positive: this.positive,
      neutral: this.neutral,
      negative: this.negative,
      sources: { survey: this.sources.survey, ticket: this.sources.ticket, call: this.sources.call },
      ticket_answers_already_in_surveys: this.duplicateTicketAnswers,
    });
  }
}

const csat: MetricDefinition = {
  id: 'csat',
  label: 'Customer satisfaction (CSAT)',
  unit: 'share',
  direction: 'higher',
  domain: 'surveys',
  kinds: ['survey', 'ticket', 'call'],
  needs: 'survey.csat, ticket.csat or call.csat',
  formula: 'answers >= positive-from / all answers (or / positive + negative answers with csatRule good-over-rated); 95% CI Wilson',
  unavailable(dataset) {
    const kinds = ['survey', 'ticket', 'call'] as const;
    if (kinds.some((kind) => fieldPresent(dataset, kind, 'csat'))) return null;
    return missingKinds(dataset, kinds) ?? 'no CSAT answers among the inputs (no survey, ticket or call record carries a satisfaction score)';
  },
  // On one table of one kind, surveyedTickets has nothing to join: surveys alone, or tickets alone.
  streaming: true,
  create: (settings, links) => new CsatAccumulator(settings, links.surveyedTickets),
};

// ---------------------------------------------------------------------------------------
// ces

class CesAccumulator implements Accumulator {
  readonly distribution = new Tally<number>();
  readonly scores = new MeanVar();
  lowEffort = 0;

  constructor(private readonly settings: MetricSettings) {}

  add(record: CxRecord): void {
    if (record.kind !== 'survey' || record.ces === undefined || !Number.isFinite(record.ces)) return;
    const score = record.ces;
    this.distribution.add(score);
    this.scores.add(score);
    const from = this.settings.cesLowEffortFrom;
    if (this.settings.cesDirection === 'higher-is-easier' ? score >= from : score <= from) this.lowEffort++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.distribution.merge(o.distribution);
    this.scores.merge(o.scores);
    this.lowEffort += o.lowEffort;
  }

  result(): MetricResult {
    const { min, max } = this.settings.scales.ces;
    const n = this.scores.count;
    return meanResult(this.scores, {
      low_effort: this.lowEffort,
      low_effort_share: n === 0 ? null : this.lowEffort / n,
      low_effort_ci95: wilson(this.lowEffort, n),
      low_effort_from: this.settings.cesLowEffortFrom,
      scale: { min, max },
      direction: this.settings.cesDirection,
      distribution: this.distribution.toObject(),
    });
  }
}

const ces: MetricDefinition = {
  id: 'ces',
  label: 'Customer Effort Score (CES)',
  unit: 'score',
  // Whether a higher mean is better depends on the configured scale (scales.ces.direction), which
  // a static definition cannot know; detail.direction states it.
  direction: 'neutral',
  domain: 'surveys',
  kinds: ['survey'],
  needs: 'survey.ces',
  formula: 'mean effort score on the configured scale; 95% CI t; low-effort share = answers at or beyond low-effort-from (Wilson CI)',
  unavailable(dataset) {
    return missingKinds(dataset, ['survey']) ?? (fieldPresent(dataset, 'survey', 'ces') ? null : 'no survey answers with a CES (effort) score among the inputs');
  },
  streaming: true,
  create: (settings) => new CesAccumulator(settings),
};

// ---------------------------------------------------------------------------------------
// survey_response_rate

/** A published response-rate benchmark for one segment and survey type. */
export interface ResponseRateBenchmark {
  segment: 'b2b' | 'b2c';
  surveyType: 'relational' | 'transactional';
  /** Average response rate, 0..1. */
  rate: number;
}

/**
 * Average response rates of e-mail customer surveys, used as `detail.benchmark` of
 * `survey_response_rate`. Data, not code: edit the list (and `source`) when a newer study is
 * adopted.
 */
export const RESPONSE_RATE_BENCHMARKS: { readonly source: string; readonly rates: readonly ResponseRateBenchmark[] } = {
  source:
    'Satmetrix (D. Eastman), "Improving Response Rates for Email Based Surveys: A Guide for Program Managers", Satmetrix Systems, 2015: average response rates to e-mail customer surveys',
  rates: [
    { segment: 'b2b', surveyType: 'relational', rate: 0.32 },
    { segment: 'b2c', surveyType: 'relational', rate: 0.13 },
    { segment: 'b2b', surveyType: 'transactional', rate: 0.23 },
    { segment: 'b2c', surveyType: 'transactional', rate: 0.16 },
  ],
};

/**
 * Inputs (by index) whose invitations are known: a survey file with a status (invited /
 * answered) on at least one row, a ticket file with at least one `Offered` (sent, not
 * answered) CSAT. Elsewhere only the answers are on file, so counting them would give a
 * response rate of 100%. Computed once per dataset: every period and segment asks.
 */
const invitationInputsCache = new WeakMap<Dataset, ReadonlySet<number>>();

function invitationInputs(dataset: Dataset): ReadonlySet<number> {
  let inputs = invitationInputsCache.get(dataset);
  if (!inputs) {
    const set = new Set<number>();
    for (const r of dataset.records('survey')) if (r.status !== undefined) set.add(r.input);
    for (const r of dataset.records('ticket')) if (r.csatOffered === true) set.add(r.input);
    invitationInputsCache.set(dataset, (inputs = set));
  }
  return inputs;
}

const hasScore = (r: SurveyRecord) => r.nps !== undefined || r.csat !== undefined || r.ces !== undefined;

/** A value seen on every counted record, or a sign that they differ / some lack it. */
type Uniform = { value: string } | 'mixed' | null;

function uniformWith(current: Uniform, next: string | undefined, first: boolean): Uniform {
  if (next === undefined) return 'mixed';
  if (first) return { value: next };
  return current !== 'mixed' && current !== null && current.value === next ? current : 'mixed';
}

/**
 * What the records of one input gave: plain data (Maps, arrays, numbers), so that the
 * accumulator crosses threads (acc-state.ts).
 */
interface InputResponses {
  invitations: number;
  responses: number;
  /** Records that are neither invited nor answered (no status, no score). */
  unknownStatus: number;
  /** [invitations, responses] by survey type. */
  byType: Map<string, [number, number]>;
  /** Segment and survey type shared by every counted invitation, to pick the benchmark. */
  segment: Uniform;
  surveyType: Uniform;
}

const noResponses = (): InputResponses => ({ invitations: 0, responses: 0, unknownStatus: 0, byType: new Map(), segment: null, surveyType: null });

/** Adds `from` into `into`, as if `from`'s records had come after `into`'s. */
function mergeResponses(into: InputResponses, from: InputResponses): void {
  if (from.invitations > 0) {
    if (into.invitations === 0) {
      into.segment = from.segment;
      into.surveyType = from.surveyType;
    } else {
      into.segment = mergeUniform(into.segment, from.segment);
      into.surveyType = mergeUniform(into.surveyType, from.surveyType);
    }
  }
  into.invitations += from.invitations;
  into.responses += from.responses;
  into.unknownStatus += from.unknownStatus;
  for (const [type, [invitations, responses]] of from.byType) {
    const mine = into.byType.get(type);
    if (mine) {
      mine[0] += invitations;
      mine[1] += responses;
    } else into.byType.set(type, [invitations, responses]);
  }
}

/**
 * Counts per input, and keeps at the end the inputs whose invitations are known: which those are
 * is a fact about every record of the input (`invitationInputs`), asked of the dataset only in
 * `result()`, so that a stream can feed this accumulator before the file is read to its end.
 */
class ResponseRateAccumulator implements Accumulator {
  readonly inputs = new Map<number, InputResponses>();
  /**
   * The input of the last record counted and its entry of `inputs`, and that entry's last survey
   * type and counts: rows come a file at a time. Private fields, so that they do not cross
   * threads (acc-state.ts copies own properties only).
   */
  #lastInput = -1;
  #lastState: InputResponses | undefined = undefined;
  #lastType: string | null = null;
  #lastTypeCounts: [number, number] | undefined = undefined;

  constructor(private readonly links: Links) {}

  add(record: CxRecord): void {
    let answered: boolean;
    let type: string | undefined;
    let segment: string | undefined;
    let state = record.input === this.#lastInput ? this.#lastState : this.inputs.get(record.input);
    if (record.kind === 'survey') {
      if (hasScore(record) || record.status === 'answered') answered = true;
      else if (record.status === 'invited') answered = false;
      else {
        if (!state) this.inputs.set(record.input, (state = noResponses()));
        this.#remember(record.input, state);
        state.unknownStatus++;
        return;
      }
      type = record.surveyType;
      segment = record.segment === undefined ? undefined : fold(record.segment);
    } else if (record.kind === 'ticket') {
      const t: TicketRecord = record;
      if (t.csat !== undefined) answered = true;
      else if (t.csatOffered === true) answered = false;
      else return; // no survey sent for this ticket
      // A survey after a ticket is about that one interaction: transactional by definition.
      type = 'transactional';
      segment = undefined;
    } else return;
    if (!state) this.inputs.set(record.input, (state = noResponses()));
    this.#remember(record.input, state);
    const first = state.invitations === 0;
    state.segment = uniformWith(state.segment, segment, first);
    state.surveyType = uniformWith(state.surveyType, type, first);
    state.invitations++;
    const key = type ?? 'unspecified';
    const byType = key === this.#lastType ? this.#lastTypeCounts : state.byType.get(key);
    if (byType) {
      byType[0]++;
      if (answered) byType[1]++;
      this.#lastTypeCounts = byType;
    } else state.byType.set(key, (this.#lastTypeCounts = [1, answered ? 1 : 0]));
    this.#lastType = key;
    if (answered) state.responses++;
  }

  /** Remembers the entry of `input` (`add`); a new one forgets the last survey type's counts. */
  #remember(input: number, state: InputResponses): void {
    if (state === this.#lastState) return;
    this.#lastInput = input;
    this.#lastState = state;
    this.#lastType = null;
    this.#lastTypeCounts = undefined;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    for (const [input, theirs] of o.inputs) {
      let mine = this.inputs.get(input);
      if (!mine) this.inputs.set(input, (mine = noResponses()));
      mergeResponses(mine, theirs);
    }
  }

  result(): MetricResult {
    const known = invitationInputs(this.links.dataset);
    const all = noResponses();
    for (const input of [...this.inputs.keys()].sort((a, b) => a - b)) if (known.has(input)) mergeResponses(all, this.inputs.get(input)!);
    const value = all.invitations === 0 ? null : all.responses / all.invitations;
    const byType: Record<string, { invitations: number; responses: number }> = {};
    for (const type of [...all.byType.keys()].sort()) {
      const [invitations, responses] = all.byType.get(type)!;
      byType[type] = { invitations, responses };
    }
    return rate(all.responses, all.invitations, {
      invitations: all.invitations,
      responses: all.responses,
      unknown_status: all.unknownStatus,
      by_type: byType,
      benchmark: benchmarkFor(all.segment, all.surveyType, value),
    });
  }
}

/** The benchmark for a group's segment and survey type when both are uniform and known, else null. */
function benchmarkFor(seg: Uniform, type: Uniform, value: number | null): Record<string, unknown> | null {
  if (seg === null || seg === 'mixed' || type === null || type === 'mixed') return null;
  const match = RESPONSE_RATE_BENCHMARKS.rates.find((b) => b.segment === seg.value && b.surveyType === type.value);
  if (!match) return null;
  return {
    segment: match.segment,
    survey_type: match.surveyType,
    rate: match.rate,
    difference: value === null ? null : value - match.rate,
    source: RESPONSE_RATE_BENCHMARKS.source,
  };
}

function mergeUniform(a: Uniform, b: Uniform): Uniform {
  if (a === 'mixed' || b === 'mixed' || a === null || b === null) return 'mixed';
  return a.value === b.value ? a : 'mixed';
}

const surveyResponseRate: MetricDefinition = {
  id: 'survey_response_rate',
  label: 'Survey response rate',
  unit: 'share',
  direction: 'higher',
  domain: 'surveys',
  kinds: ['survey', 'ticket'],
  needs: 'survey.status (invited/answered), or ticket.csat with `Offered` for surveys sent and not answered',
  formula: 'answered invitations / invitations, from files that list unanswered invitations; 95% CI Wilson',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['survey', 'ticket']);
    if (missing) return missing;
    if (invitationInputs(dataset).size > 0) return null;
    return 'invitations are unknown: no survey file has a status (invited/answered) column and no ticket carries a CSAT survey offered but not answered';
  },
  streaming: true,
  create: (_settings, links) => new ResponseRateAccumulator(links),
};

/** The survey family: `nps`, `csat`, `ces`, `survey_response_rate`. */
export const SURVEY_METRICS: readonly MetricDefinition[] = [nps, csat, ces, surveyResponseRate];
