/**
 * The files that do not come out of the day-by-day customer simulation: B2B deals, social
 * mentions and employee feedback. Social complaints and staff frustration follow the operational
 * load the simulation recorded (deliveries, late deliveries and returns per day).
 */
import * as M from './model.js';
import { Rng } from './rng.js';
import type { Customer, Stats } from './simulate.js';
import { DAYS } from './simulate.js';
import { DAY_MS, civilAddDays, civilDow, localToUtc, type Civil } from './time.js';
import * as X from './text.js';
import { cents } from './csv.js';

export interface DealRec {
  id: string;
  c: Customer;
  createdMs: number;
  closedMs: number | null;
  stage: 'won' | 'lost' | 'open';
  amount: number;
}

export function makeDeals(customers: readonly Customer[], seed: number): DealRec[] {
  const r = Rng.forPart(seed, 'deals');
  const deals: Omit<DealRec, 'id'>[] = [];
  for (const c of customers) {
    if (c.segment !== 'b2b') continue;
    if (c.isNew) {
      // The deal that brought the customer in closed on the signup date.
      deals.push({
        c,
        createdMs: c.signupMs - r.int(15, 90) * DAY_MS,
        closedMs: c.signupMs,
        stage: 'won',
        amount: Math.round(r.lognormal(18000, 0.8) / 50) * 50,
      });
    }
    const n = r.poisson(0.9);
    for (let i = 0; i < n; i++) {
      const created = localToUtc(M.START.y, M.START.mo, M.START.d) + r.int(0, DAYS - 1) * DAY_MS;
      if (created < c.signupMs || (c.churnMs !== null && created >= c.churnMs)) continue;
      const closed = created + Math.round(r.lognormal(45, 0.6)) * DAY_MS;
      const isClosed = closed <= M.END_MS && (c.churnMs === null || closed <= c.churnMs);
      deals.push({
        c,
        createdMs: created,
        closedMs: isClosed ? closed : null,
        stage: isClosed ? (r.chance(0.55) ? 'won' : 'lost') : 'open',
        amount: Math.round(r.lognormal(9000, 0.9) / 50) * 50,
      });
    }
  }
  deals.sort((a, b) => a.createdMs - b.createdMs || a.c.idx - b.c.idx);
  return deals.map((d, i) => ({ ...d, id: 'DL-' + String(i + 1).padStart(4, '0') }));
}

export interface SocialRec {
  id: string;
  t: number;
  platform: 'twitter' | 'instagram' | 'facebook' | 'trustpilot';
  type: 'complaint' | 'mention' | 'review' | 'praise';
  rating: number | null;
  likes: number;
  shares: number;
  comments: number;
  text: string;
}

function sumWindow(values: readonly number[], end: number, days: number): number {
  let s = 0;
  for (let i = Math.max(0, end - days + 1); i <= end; i++) s += values[i] ?? 0;
  return s;
}

export function makeSocial(stats: Stats, nCustomers: number, seed: number): SocialRec[] {
  const r = Rng.forPart(seed, 'social');
  const scale = nCustomers / M.DEFAULT_CUSTOMERS;
  const out: SocialRec[] = [];
  for (let day = 0; day < DAYS; day++) {
    const civil = civilAddDays(M.START, day);
    const deliveries = sumWindow(stats.daily.deliveries, day, 7);
    const late = sumWindow(stats.daily.late, day, 7);
    const lateShare = deliveries > 0 ? late / deliveries : 0.1;
    const season = M.ORDER_SEASON[civil.mo] ?? 1;
    const n = r.poisson(scale * 1.3 * (0.7 + 0.3 * season) * (1 + 4 * lateShare));
    for (let i = 0; i < n; i++) {
      const platform = r.weighted<SocialRec['platform']>([['twitter', 30], ['instagram', 30], ['facebook', 20], ['trustpilot', 20]]);
      const complaintW = 10 + 150 * lateShare;
      const type: SocialRec['type'] =
        platform === 'trustpilot'
          ? 'review'
          : platform === 'twitter'
            ? r.weighted<SocialRec['type']>([['complaint', complaintW * 2], ['mention', 40], ['praise', 20]])
            : platform === 'instagram'
              ? r.weighted<SocialRec['type']>([['complaint', complaintW * 0.6], ['mention', 50], ['praise', 35]])
              : r.weighted<SocialRec['type']>([['complaint', complaintW], ['mention', 30], ['praise', 15], ['review', 25]]);
      let rating: number | null = null;
      let text: string;
      if (type === 'review') {
        const bad = lateShare * 1.5;
        rating = r.weightedIndex([0.12 + bad, 0.07 + bad / 2, 0.1, 0.26, 0.45]) + 1;
        text = r.pick(X.REVIEW_TEXTS[rating as 1 | 2 | 3 | 4 | 5]);
      } else {
        text = r.pick(X.SOCIAL_TEXTS[type]);
      }
      const base =
        platform === 'instagram' ? 25 : platform === 'twitter' ? 4 : platform === 'facebook' ? 6 : 0.6;
      const likes = Math.round(r.lognormal(base * (type === 'complaint' ? 1.6 : 1), 1.1));
      const shares = platform === 'trustpilot' ? 0 : Math.round(likes * r.uniform(0, platform === 'twitter' ? 0.4 : 0.12));
      const comments = Math.round(likes * r.uniform(0, type === 'complaint' ? 0.5 : 0.15));
      const h = r.weightedIndex([0.3, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.2, 1.4, 1.5, 1.5, 1.6, 1.6, 1.4, 1.3, 1.3, 1.4, 1.6, 1.9, 2.2, 2.4, 2, 1]);
      out.push({
        id: '',
        t: localToUtc(civil.y, civil.mo, civil.d, h, r.int(0, 59), r.int(0, 59)),
        platform,
        type,
        rating,
        likes,
        shares,
        comments,
        text,
      });
    }
  }
  out.sort((a, b) => a.t - b.t);
  out.forEach((s, i) => (s.id = 'SM-' + String(i + 1).padStart(5, '0')));
  return out;
}

export interface EmployeeRec {
  t: number;
  team: string;
  area: string;
  frustration: number;
  comment: string;
}

const AREA_BASE: Record<string, number> = {
  'returns process': 3.2,
  'billing system': 3.3,
  'delivery tracking': 2.9,
  'stock visibility': 3.1,
  'knowledge base': 2.5,
  'checkout tills': 2.6,
  'smart home installs': 3.3,
  scheduling: 2.7,
};

export function makeEmployeeFeedback(stats: Stats, nCustomers: number, seed: number): EmployeeRec[] {
  const r = Rng.forPart(seed, 'employee');
  const scale = Math.max(1, nCustomers / M.DEFAULT_CUSTOMERS);
  const out: EmployeeRec[] = [];
  const avgDeliveries = stats.delivered / DAYS;
  const avgReturns = stats.returns / DAYS;
  for (let day = 0; day < DAYS; day++) {
    const civil: Civil = civilAddDays(M.START, day);
    if (civilDow(civil) !== 5) continue; // the weekly pulse closes on Fridays
    const lateShare = sumWindow(stats.daily.late, day, 14) / Math.max(1, sumWindow(stats.daily.deliveries, day, 14));
    const returnsLoad = sumWindow(stats.daily.returns, day, 14) / Math.max(0.5, avgReturns * 14);
    const deliveryLoad = sumWindow(stats.daily.deliveries, day, 14) / Math.max(0.5, avgDeliveries * 14);
    for (const [team, areas] of X.EMPLOYEE_TEAMS) {
      const n = r.poisson(1.1 * scale);
      for (let i = 0; i < n; i++) {
        const area = r.pick(areas);
        let level = (AREA_BASE[area] ?? 3) + r.normal(0, 0.8);
        if (area === 'delivery tracking') level += 8 * (lateShare - 0.08);
        if (area === 'returns process') level += 0.8 * (returnsLoad - 1);
        if (area === 'stock visibility' || area === 'scheduling' || area === 'checkout tills') level += 0.6 * (deliveryLoad - 1);
        const frustration = Math.max(1, Math.min(5, Math.round(level)));
        const comments = X.EMPLOYEE_COMMENTS[area] ?? [];
        const comment = comments.length > 0 && r.chance(frustration >= 4 ? 0.75 : 0.4) ? r.pick(comments) : '';
        const submitted = civilAddDays(civil, -r.int(0, 4));
        out.push({ t: localToUtc(submitted.y, submitted.mo, submitted.d, r.int(8, 19), r.int(0, 59)), team, area, frustration, comment });
      }
    }
  }
  out.sort((a, b) => a.t - b.t);
  return out;
}
