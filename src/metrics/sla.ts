/**
 * SLA compliance: the share of tickets whose first response (`sla_first_response_compliance`) or
 * resolution (`sla_resolution_compliance`) came within the target the config sets for them.
 *
 * Definitions shared by the family:
 * - Targets come from the config's `sla` list; a ticket takes the first target whose priority,
 *   channel and group (each when given) match its own, compared without case or accents. A
 *   ticket no target matches, or whose target has no goal for this event, is left out
 *   (`detail.no_target`).
 * - The clock: business time when `businessHours` is configured (the ticket's group schedule,
 *   under the schedule rule), else calendar time; `detail.time` says which. Business time comes
 *   from the timestamps through the schedule, else from the export's precomputed business-hours
 *   durations; calendar time from the timestamps, else the precomputed durations.
 * - Within target: the measured duration is at most the target. Breached: above it, or the
 *   event has not happened yet (no reply, not resolved) and the time since creation already
 *   exceeds the target at the end of the period (`detail.breached_open`): such a ticket will
 *   breach whatever happens next. Open tickets still inside their target are not judged yet
 *   (`detail.pending`).
 * - value = within / (within + breached), 95% Wilson interval. `detail.breaches` lists the
 *   first 100 breaches by creation time (ticket id, target, actual, excess), with the full count
 *   in `detail.breached`.
 * - Placement in periods: first response by creation time, resolution by resolution time (by
 *   creation while unresolved), as the ticket family does.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import { parseTargetDuration, type Config } from '../schema/config.js';
import type { CxRecord, TicketRecord } from '../schema/records.js';
import { businessSeconds, foldGroup, scheduleFor, type Schedule, type ScheduleRule } from './business-hours.js';
import { fieldPresent, missingKinds, rate, sameAccumulator } from './helpers.js';
import { isResolved, resolvedInstant } from './tickets.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

/** A compiled SLA target: folded match keys (absent = any) and goals in seconds. */
export interface SlaTarget {
  priority?: string;
  channel?: string;
  group?: string;
  firstResponseSeconds?: number;
  resolutionSeconds?: number;
  /** How the target reads in detail: "priority=high, channel=email", or "any ticket". */
  label: string;
}

/** Compiles the validated `sla` section of the config. */
export function compileSlaTargets(config: Config['sla']): SlaTarget[] {
  return (config ?? []).map((t) => {
    const keys: string[] = [];
    const target: SlaTarget = { label: '' };
    for (const key of ['priority', 'channel', 'group'] as const) {
      const value = t[key];
      if (value === undefined) continue;
      target[key] = foldGroup(value);
      keys.push(`${key}=${value}`);
    }
    const fr = t.firstResponse === undefined ? null : parseTargetDuration(t.firstResponse);
    const res = t.resolution === undefined ? null : parseTargetDuration(t.resolution);
    if (fr !== null) target.firstResponseSeconds = fr;
    if (res !== null) target.resolutionSeconds = res;
    target.label = keys.length ? keys.join(', ') : 'any ticket';
    return target;
  });
}

const matches = (wanted: string | undefined, actual: string | undefined) => wanted === undefined || (actual !== undefined && foldGroup(actual) === wanted);

/** The first target whose given keys all match the ticket, or undefined. */
export function targetFor(targets: readonly SlaTarget[], t: TicketRecord): SlaTarget | undefined {
  return targets.find((target) => matches(target.priority, t.priority) && matches(target.channel, t.channel) && matches(target.group, t.group));
}

type SlaEvent = 'firstResponse' | 'resolution';

interface EventSpec {
  goal: 'firstResponseSeconds' | 'resolutionSeconds';
  /** The instant of the event, when known. */
  endOf(t: TicketRecord): number | undefined;
  precomputed: 'firstResponseSeconds' | 'resolutionSeconds';
  business: 'firstResponseBusinessSeconds' | 'resolutionBusinessSeconds';
  /** The event has not happened (so an open ticket can be judged against the clock). */
  pending(t: TicketRecord): boolean;
  what: string;
}

const EVENTS: Readonly<Record<SlaEvent, EventSpec>> = {
  firstResponse: {
    goal: 'firstResponseSeconds',
    endOf: (t) => t.firstResponseAt ?? (t.createdAt !== undefined && t.firstResponseSeconds !== undefined ? t.createdAt + t.firstResponseSeconds * 1000 : undefined),
    precomputed: 'firstResponseSeconds',
    business: 'firstResponseBusinessSeconds',
    // A ticket solved without a reply (spam, duplicates) never gets one: not pending.
    pending: (t) => t.firstResponseAt === undefined && t.firstResponseSeconds === undefined && t.firstResponseBusinessSeconds === undefined && !isResolved(t),
    what: 'first-response',
  },
  resolution: {
    goal: 'resolutionSeconds',
    // The raw resolvedAt, so a resolution before the creation is seen (and left out) rather than read as open.
    endOf: (t) => t.resolvedAt ?? resolvedInstant(t),
    precomputed: 'resolutionSeconds',
    business: 'resolutionBusinessSeconds',
    pending: (t) => !isResolved(t),
    what: 'resolution',
  },
};

/** Open tickets older than this are not judged against the clock. */
const MAX_OPEN_MS = 100 * 366 * 86_400_000;

/** How many breaches `detail.breaches` lists. */
export const BREACHES_LISTED = 100;

export interface Breach {
  ticket: string | null;
  created_at: string | null;
  target: string;
  target_seconds: number;
  /** null while the ticket is still open (breached by the clock, not by an event). */
  actual_seconds: number | null;
  over_seconds: number;
  open: boolean;
  /** Sort key: creation, then input position. */
  key: [number, number, number];
}

const byKey = (a: Breach, b: Breach) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2];

interface TargetTally {
  within: number;
  breached: number;
}

class SlaAccumulator implements Accumulator {
  within = 0;
  breached = 0;
  breachedOpen = 0;
  pending = 0;
  noTarget = 0;
  unmeasured = 0;
  negative = 0;
  readonly byTarget = new Map<string, TargetTally>();
  breaches: Breach[] = [];
  private readonly schedule: Schedule | null;
  private readonly rule: ScheduleRule;
  private readonly spec: EventSpec;

  constructor(
    private readonly event: SlaEvent,
    private readonly settings: MetricSettings,
    private readonly period: PeriodBounds,
  ) {
    this.schedule = settings.businessHours ?? null;
    this.rule = settings.scheduleRule ?? 'at-event';
    this.spec = EVENTS[event];
  }

  /** The measured duration in seconds on this family's clock, or undefined. */
  private measure(t: TicketRecord): number | undefined {
    const end = this.spec.endOf(t);
    if (this.schedule) {
      if (t.createdAt !== undefined && end !== undefined && end >= t.createdAt) {
        return businessSeconds(scheduleFor(this.schedule, t.group), t.createdAt, end, { rule: this.rule, eventAt: end });
      }
      if (t.createdAt !== undefined && end !== undefined) return (end - t.createdAt) / 1000; // negative: excluded by the caller
      return t[this.spec.business];
    }
    if (t.createdAt !== undefined && end !== undefined) return (end - t.createdAt) / 1000;
    return t[this.spec.precomputed];
  }

  /**
   * Time on the clock from creation to `until` for an open ticket (the schedule rule's event is
   * `until`), or undefined when it cannot be told: no creation time, or a span beyond a century
   * (the whole range of a dataset without dates).
   */
  private elapsed(t: TicketRecord, until: number, goal: number): number | undefined {
    if (t.createdAt === undefined || !(until - t.createdAt < MAX_OPEN_MS)) return undefined;
    const calendar = Math.max(0, until - t.createdAt) / 1000;
    // Business time never exceeds calendar time: no need to walk the days of a ticket still inside its target.
    if (!this.schedule || calendar <= goal) return calendar;
    return businessSeconds(scheduleFor(this.schedule, t.group), t.createdAt, until, { rule: this.rule, eventAt: until });
  }

  add(record: CxRecord): void {
    if (record.kind !== 'ticket') return;
    const target = targetFor(this.settings.sla ?? [], record);
    const goal = target?.[this.spec.goal];
    if (target === undefined || goal === undefined) {
      this.noTarget++;
      return;
    }
    let actual: number | null = null;
    let openElapsed = 0;
    let measured = this.measure(record);
    if (measured !== undefined && measured < 0) {
      // A placeholder date (Zendesk's 1900-01-01) on a ticket whose status says open: no event yet.
      if (record.status !== undefined && this.spec.pending(record)) measured = undefined;
      else {
        this.negative++;
        return;
      }
    }
    if (measured !== undefined) {
      actual = measured;
    } else if (this.spec.pending(record)) {
      const elapsed = this.elapsed(record, this.period.end, goal);
      if (elapsed === undefined || elapsed <= goal) {
        if (elapsed === undefined) this.unmeasured++;
        else this.pending++;
        return;
      }
      openElapsed = elapsed;
    } else {
      this.unmeasured++;
      return;
    }
    let tally = this.byTarget.get(target.label);
    if (!tally) this.byTarget.set(target.label, (tally = { within: 0, breached: 0 }));
    if (actual !== null && actual <= goal) {
      this.within++;
      tally.within++;
      return;
    }
    this.breached++;
    tally.breached++;
    const open = actual === null;
    if (open) this.breachedOpen++;
    const over = (open ? openElapsed : actual!) - goal;
    this.breaches.push({
      ticket: record.id ?? null,
      created_at: record.createdAt === undefined ? null : new Date(record.createdAt).toISOString(),
      target: target.label,
      target_seconds: goal,
      actual_seconds: actual,
      over_seconds: over,
      open,
      key: [record.createdAt ?? Number.MAX_VALUE, record.input, record.line],
    });
    if (this.breaches.length > 4 * BREACHES_LISTED) this.trim();
  }

  /** Keeps the first BREACHES_LISTED by creation: the same list whatever the merge order. */
  private trim(): void {
    this.breaches.sort(byKey);
    if (this.breaches.length > BREACHES_LISTED) this.breaches.length = BREACHES_LISTED;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.within += o.within;
    this.breached += o.breached;
    this.breachedOpen += o.breachedOpen;
    this.pending += o.pending;
    this.noTarget += o.noTarget;
    this.unmeasured += o.unmeasured;
    this.negative += o.negative;
    for (const [label, t] of o.byTarget) {
      const mine = this.byTarget.get(label);
      if (mine) {
        mine.within += t.within;
        mine.breached += t.breached;
      } else this.byTarget.set(label, { ...t });
    }
    this.breaches.push(...o.breaches);
    this.trim();
  }

  result(): MetricResult {
    this.trim();
    const byTarget: Record<string, { n: number; within: number; value: number }> = {};
    for (const label of [...this.byTarget.keys()].sort()) {
      const t = this.byTarget.get(label)!;
      byTarget[label] = { n: t.within + t.breached, within: t.within, value: t.within / (t.within + t.breached) };
    }
    return rate(this.within, this.within + this.breached, {
      time: this.schedule ? 'business' : 'calendar',
      schedule_rule: this.schedule ? this.rule : null,
      within: this.within,
      breached: this.breached,
      breached_open: this.breachedOpen,
      pending: this.pending,
      no_target: this.noTarget,
      unmeasured: this.unmeasured,
      negative_excluded: this.negative,
      by_target: byTarget,
      breaches: this.breaches.map(({ key: _key, ...rest }) => rest),
      breaches_listed: this.breaches.length,
    });
  }
}

function slaUnavailable(dataset: Dataset, settings: MetricSettings | undefined, event: SlaEvent): string | null {
  const missing = missingKinds(dataset, ['ticket']);
  if (missing) return missing;
  const spec = EVENTS[event];
  const targets = (settings?.sla ?? []).filter((t) => t[spec.goal] !== undefined);
  if (targets.length === 0) {
    return `no ${spec.what} SLA target in the config (e.g. "sla": [{"priority": "high", "${event}": "${event === 'firstResponse' ? '1h' : '8h'}"}])`;
  }
  const tickets = dataset.records('ticket');
  if (!tickets.some((t) => targetFor(targets, t) !== undefined)) {
    return `no ticket matches a ${spec.what} SLA target (${targets.map((t) => t.label).join('; ')})`;
  }
  const fields = event === 'firstResponse' ? ['firstResponseAt', 'firstResponseSeconds', 'firstResponseBusinessSeconds'] : ['resolvedAt', 'resolutionSeconds', 'resolutionBusinessSeconds', 'status'];
  if (!fields.some((f) => fieldPresent(dataset, 'ticket', f))) return `tickets carry no ${spec.what} time`;
  return null;
}

const resolutionTimeOf = (record: CxRecord): number | undefined => (record.kind === 'ticket' ? (resolvedInstant(record) ?? record.createdAt) : undefined);

const slaFirstResponse: MetricDefinition = {
  id: 'sla_first_response_compliance',
  label: 'SLA compliance: first response',
  unit: 'share',
  direction: 'higher',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'config sla targets; ticket.createdAt + ticket.firstResponseAt (priority, channel, group to match targets)',
  formula:
    'tickets first answered within their target / tickets judged (answered, or unanswered and already past target at period end); business time when businessHours is set; 95% CI Wilson',
  unavailable: (dataset, settings) => slaUnavailable(dataset, settings, 'firstResponse'),
  create: (settings, _links, period) => new SlaAccumulator('firstResponse', settings, period),
};

const slaResolution: MetricDefinition = {
  id: 'sla_resolution_compliance',
  label: 'SLA compliance: resolution',
  unit: 'share',
  direction: 'higher',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'config sla targets; ticket.createdAt + ticket.resolvedAt (priority, channel, group to match targets)',
  formula:
    'tickets resolved within their target / tickets judged (resolved, or open and already past target at period end), by period of resolution; business time when businessHours is set; 95% CI Wilson',
  timeOf: resolutionTimeOf,
  unavailable: (dataset, settings) => slaUnavailable(dataset, settings, 'resolution'),
  create: (settings, _links, period) => new SlaAccumulator('resolution', settings, period),
};

/** The SLA family, in catalogue order. */
export const SLA_METRICS: readonly MetricDefinition[] = [slaFirstResponse, slaResolution];
