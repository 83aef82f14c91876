/**
 * Status-history metrics, from `ticket_event` records (a ticket-events or audit export: ticket id,
 * status, when the ticket entered it): requester wait time, agent wait time and on-hold time.
 *
 * Definitions shared by the family:
 * - A ticket's events are grouped by ticket id over the whole dataset and ordered by time; each
 *   stretch from one event to the next counts under the status it began with
 *   (`statusDurations` in business-hours.ts): requester wait = new + open + on-hold, agent wait =
 *   pending, on-hold = on-hold; solved and closed stretches count nowhere (a reopened ticket adds
 *   the stretches after the reopen).
 * - A ticket counts once it is solved: its last event is solved or closed. It is placed in the
 *   period of that last event, and only that event is fed to the accumulator (the others are
 *   ignored), so each ticket counts once whatever the number of its events. A ticket whose last
 *   event leaves it open is counted in `detail.unsolved`.
 * - Calendar and business time are both computed; `--time business` makes the business median
 *   the value. Business time uses the schedule of the ticket's group when a ticket record with the
 *   same id carries one, else the default schedule, under the schedule rule (`at-event`: the
 *   schedule in force at the solve).
 * - `--by group` (channel, priority…): a field the event rows lack is read from the ticket with the
 *   same id (links.ts `segmentParent`, used by the engine's segment reader), so the waits segment
 *   by the ticket's group whether or not the status export repeats it.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CxRecord, TicketEventRecord } from '../schema/records.js';
import { classifyStatus, scheduleFor, statusDurations, type StatusDurations, type StatusTimes } from './business-hours.js';
import { Tally, durationResult, durationSummary, missingKinds, sameAccumulator } from './helpers.js';
import { QuantileSketch } from './stats/index.js';
import type { Accumulator, Links, MetricDefinition, MetricResult, MetricSettings } from './types.js';

interface History {
  events: TicketEventRecord[];
  /** The latest event (ties: the later row); the one fed to accumulators. */
  last: TicketEventRecord;
  group: string | undefined;
}

const indexCache = new WeakMap<Dataset, Map<string, History>>();

/** Events by ticket id, with the group of the matching ticket record. */
function histories(dataset: Dataset): Map<string, History> {
  let index = indexCache.get(dataset);
  if (index) return index;
  index = new Map();
  for (const e of dataset.records('ticket_event')) {
    if (e.ticketId === undefined || e.at === undefined || e.status === undefined) continue;
    const h = index.get(e.ticketId);
    if (!h) index.set(e.ticketId, { events: [e], last: e, group: undefined });
    else {
      h.events.push(e);
      if (e.at >= h.last.at!) h.last = e;
    }
  }
  if (index.size > 0) {
    for (const t of dataset.records('ticket')) {
      if (t.id === undefined || t.group === undefined) continue;
      const h = index.get(t.id);
      if (h) h.group = t.group;
    }
  }
  indexCache.set(dataset, index);
  return index;
}

const durationCache = new WeakMap<Dataset, WeakMap<MetricSettings, Map<string, StatusDurations>>>();

function durationsOf(dataset: Dataset, settings: MetricSettings, ticketId: string, history: History): StatusDurations {
  let bySettings = durationCache.get(dataset);
  if (!bySettings) durationCache.set(dataset, (bySettings = new WeakMap()));
  let map = bySettings.get(settings);
  if (!map) bySettings.set(settings, (map = new Map()));
  let d = map.get(ticketId);
  if (!d) {
    const schedule = settings.businessHours ? scheduleFor(settings.businessHours, history.group) : null;
    d = statusDurations(
      history.events.map((e) => ({ at: e.at!, status: e.status! })),
      schedule,
      { rule: settings.scheduleRule ?? 'at-event' },
    );
    map.set(ticketId, d);
  }
  return d;
}

class StatusTimeAccumulator implements Accumulator {
  readonly calendar = new QuantileSketch();
  readonly business = new QuantileSketch();
  unsolved = 0;
  readonly unknownStatuses = new Tally<string>();
  private readonly index: Map<string, History>;

  constructor(
    private readonly field: keyof StatusTimes,
    private readonly settings: MetricSettings,
    private readonly links: Links,
  ) {
    this.index = histories(links.dataset);
  }

  add(record: CxRecord): void {
    if (record.kind !== 'ticket_event' || record.ticketId === undefined) return;
    const history = this.index.get(record.ticketId);
    if (!history || history.last !== record) return;
    const d = durationsOf(this.links.dataset, this.settings, record.ticketId, history);
    if (d.solvedAt === null) {
      this.unsolved++;
      return;
    }
    this.calendar.add(d.calendar[this.field]);
    if (d.business) this.business.add(d.business[this.field]);
    for (const status of d.unknown) this.unknownStatuses.add(status);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.calendar.merge(o.calendar);
    this.business.merge(o.business);
    this.unsolved += o.unsolved;
    this.unknownStatuses.merge(o.unknownStatuses);
  }

  result(): MetricResult {
    const summary = (sketch: QuantileSketch) => {
      const s = durationSummary(sketch);
      return s.n === 0 ? null : { n: s.n, median: s.median, p90: s.p90, mean: s.mean };
    };
    const business = this.settings.time === 'business';
    return durationResult(business ? this.business : this.calendar, {
      time: business ? 'business' : 'calendar',
      calendar: summary(this.calendar),
      business: summary(this.business),
      schedule_rule: this.settings.businessHours ? (this.settings.scheduleRule ?? 'at-event') : null,
      unsolved: this.unsolved,
      unknown_statuses: this.unknownStatuses.toObject('count'),
      source: 'status events',
    });
  }
}

function eventsUnavailable(dataset: Dataset, settings: MetricSettings | undefined): string | null {
  const missing = missingKinds(dataset, ['ticket_event']);
  if (missing) return missing;
  const index = histories(dataset);
  if (index.size === 0) return 'ticket events lack a ticket id, a status or a time on every row';
  if (settings?.time === 'business' && !settings.businessHours) return '--time business needs a businessHours schedule in the config to measure status histories';
  for (const h of index.values()) {
    if (classifyStatus(h.last.status!) === 'solved') return null;
  }
  return "no ticket's status history ends solved or closed";
}

function statusMetric(id: string, label: string, field: keyof StatusTimes, direction: MetricDefinition['direction'], what: string): MetricDefinition {
  return {
    id,
    label,
    unit: 'seconds',
    direction,
    domain: 'tickets',
    kinds: ['ticket_event'],
    needs: 'ticket_event.ticketId + ticket_event.status + ticket_event.at (a status history)',
    formula: `median over solved tickets of the time spent ${what}, from the status history, by period of the last solve; detail: calendar and business; 95% CI order statistics`,
    unavailable: eventsUnavailable,
    create: (settings, links) => new StatusTimeAccumulator(field, settings, links),
  };
}

/** The status-history family, in catalogue order. */
export const TICKET_EVENT_METRICS: readonly MetricDefinition[] = [
  statusMetric('requester_wait_time', 'Requester wait time', 'requesterWait', 'lower', 'new, open or on-hold (the customer waits)'),
  statusMetric('agent_wait_time', 'Agent wait time (pending)', 'agentWait', 'neutral', 'pending (waiting on the customer)'),
  statusMetric('on_hold_time', 'On-hold time', 'onHold', 'lower', 'on-hold (waiting on a third party)'),
];
