import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { DriversAnalysis } from '../../analysis/drivers.js';
import type { MetricEntry, ReportModel } from '../model.js';
import { axisFormat, escapeHtml, renderReportHtml, type HtmlReportOptions } from './render-html.js';

type Node = ReturnType<typeof parseDocument>;
type El = ReturnType<typeof DomUtils.getElementsByTagName>[number];

const INJECTED = '<script>window.__pwned=1</script>';
const INJECTED_IMG = '"><img src=x onerror="window.__pwned=2">';

function entry(over: Partial<MetricEntry> & Pick<MetricEntry, 'id' | 'value'>): MetricEntry {
  return {
    label: over.id,
    unit: 'count',
    direction: 'neutral',
    domain: 'surveys',
    n: 0,
    ci95: null,
    period: null,
    period_start: null,
    period_end: null,
    segment: null,
    small_sample: false,
    change: null,
    anomaly: null,
    detail: {},
    ...over,
  };
}

const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
// NPS per month; June falls outside the band of the months before it.
const NPS_BY_MONTH = [40, 42, 38, 41, 40, 10];

/**
 * A small model: NPS with its 0-10 distribution and a monthly series, CSAT with its 1-5
 * distribution, ticket volume by channel (one channel name carries a script), and a backlog
 * that is unavailable.
 */
function model(): ReportModel {
  const nps = entry({
    id: 'nps',
    label: 'Net Promoter Score',
    unit: 'points',
    direction: 'higher',
    // 100 × (50 promoters − 10 detractors) / 80 answers = +50.0
    value: 50,
    n: 80,
    ci95: [38.25, 61.75],
    detail: { promoters: 50, passives: 20, detractors: 10, distribution: { '0': 2, '5': 3, '6': 5, '7': 10, '8': 10, '9': 20, '10': 30 } },
  });
  const series = MONTHS.map((period, i) =>
    entry({
      id: 'nps',
      label: 'Net Promoter Score',
      unit: 'points',
      direction: 'higher',
      value: NPS_BY_MONTH[i]!,
      n: 20,
      ci95: [NPS_BY_MONTH[i]! - 20, NPS_BY_MONTH[i]! + 20],
      period,
      change: i === 0 ? null : { difference: NPS_BY_MONTH[i]! - NPS_BY_MONTH[i - 1]!, ci95: null, p: i === 5 ? 0.012 : 0.5, significant: i === 5, test: 'adjusted-wald' },
      anomaly: i < 4 ? null : { median: 40, mad: 1.48, low: 35.5, high: 44.5, flagged: i === 5 },
    }),
  );
  const csat = entry({
    id: 'csat',
    label: 'Customer satisfaction (CSAT)',
    unit: 'share',
    direction: 'higher',
    // (30 + 40) / 100 answers at 4 or above = 70.0%
    value: 0.7,
    n: 100,
    ci95: [0.604, 0.78],
    detail: { positive_from: 4, distribution: { '1': 10, '2': 5, '3': 15, '4': 30, '5': 40 } },
  });
  const tickets = entry({
    id: 'ticket_volume',
    label: 'Ticket volume',
    domain: 'tickets',
    value: 100,
    n: 100,
    detail: { by_channel: { email: { count: 60, share: 0.6 }, [INJECTED]: { count: 40, share: 0.4 } } },
  });
  return {
    inputs: [
      {
        file: `exports/${INJECTED_IMG}.csv`,
        kind: 'survey',
        status: 'read',
        reason: null,
        format: 'csv',
        encoding: 'utf-8',
        delimiter: ';',
        compressed: false,
        read: 183,
        accepted: 180,
        duplicate: 1,
        rejected: 2,
        excluded: 0,
        date_range: ['2025-01-02', '2025-06-30'],
      },
    ],
    settings: { period: 'month', by: [], since: null, until: null, timezone: 'Europe/Madrid', min_sample: 30, range: ['2025-01-02T08:00:00+01:00', '2025-06-30T18:00:00+02:00'] },
    metrics: [nps, csat, tickets, ...series],
    unavailable: [{ id: 'backlog', reason: 'no ticket status among the inputs' }],
    warnings: [`channel ${INJECTED} rests on 3 answers`],
    totals: { read: 183, accepted: 180, duplicate: 1, rejected: 2 },
  };
}

function drivers(): DriversAnalysis {
  const row = (exposure: string, difference: number, ci: [number, number], q: number, impact: number) => ({
    exposure,
    label: exposure === 'return' ? 'a return' : `a complaint (category: ${INJECTED})`,
    family: exposure,
    source: ['return'],
    linked: 80,
    exposed: { n: 20, value: 50 + difference },
    unexposed: { n: 60, value: 50 },
    difference,
    ci95: ci,
    p: q / 2,
    q,
    impact,
    ranked: true,
    relative_risk: null,
    adjusted: null,
  });
  return {
    outcome: 'nps',
    label: 'Net Promoter Score',
    unit: 'points',
    direction: 'higher',
    window_days: 90,
    min_group: 30,
    by: [],
    control: null,
    outcome_definition: 'each NPS answer',
    method: 'adjusted-Wald',
    impact_formula: 'impact = n_exposed / n × difference',
    note: 'Association, not proof of causation.',
    overall: { n: 80, value: 50 },
    excluded: {},
    first_response_threshold: null,
    drivers: [row('return', -30, [-45, -15], 0.002, -7.5), row('complaint', 8, [-5, 21], 0.4, 2)],
    theme_groups: ['detractors', 'promoters'],
    themes: [{ term: 'tarde', group: 'detractors', z: 3.2, log_odds: 0.8, count: 9, other_count: 0, example: `Llegó tarde ${INJECTED}` }],
    theme_dictionary: [],
    warnings: [],
  };
}

const DEFINITIONS: HtmlReportOptions['definitions'] = [
  { id: 'nps', label: 'Net Promoter Score', unit: 'points', formula: '100 × (promoters − detractors) / answers', needs: 'survey.nps' },
  { id: 'csat', label: 'Customer satisfaction (CSAT)', unit: 'share', formula: 'answers >= 4 / answers', needs: 'survey.csat' },
  { id: 'ticket_volume', label: 'Ticket volume', unit: 'count', formula: 'tickets created', needs: 'ticket.createdAt' },
  { id: 'aht', label: 'Average handle time', unit: 'seconds', formula: 'talk + hold + wrap', needs: 'call records' },
];

const OPTIONS: HtmlReportOptions = {
  now: '2025-07-01T09:30:00+02:00',
  nowSource: 'option',
  drivers: drivers(),
  definitions: DEFINITIONS,
  rejects: [{ file: 'exports/nps.csv', line: 14, column: 'score', value: INJECTED, reason: 'expected a score 0-10' }],
};

const INLINE = new Set(['a', 'b', 'code', 'em', 'span', 'strong', 'time']);

/** Text content as it reads: a space between block elements and cells (not inside inline ones), whitespace collapsed. */
function text(node: El | Node): string {
  const parts: string[] = [];
  const walk = (n: { children?: unknown[] } & Partial<{ data: string; type: string; name: string }>) => {
    const block = n.type === 'tag' && !INLINE.has(n.name!);
    if (block) parts.push(' ');
    if (n.type === 'text') parts.push(n.data!);
    else for (const c of (n.children ?? []) as (typeof n)[]) walk(c);
    if (block) parts.push(' ');
  };
  walk(node as never);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function byId(doc: Node, id: string): El {
  const el = DomUtils.findOne((e) => e.attribs.id === id, doc.children, true);
  if (!el) throw new Error(`no element #${id}`);
  return el;
}

function all(doc: Node | El, test: (e: El) => boolean): El[] {
  return DomUtils.findAll(test, 'children' in doc ? doc.children : []);
}

const html = await renderReportHtml(model(), OPTIONS);
const doc = parseDocument(html);

describe('renderReportHtml: one self-contained page', () => {
  it('is a complete document with lang, charset, viewport, colour schemes and print styles', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(all(doc, (e) => e.name === 'meta' && e.attribs.charset === 'utf-8')).toHaveLength(1);
    expect(all(doc, (e) => e.name === 'meta' && e.attribs.name === 'viewport')).toHaveLength(1);
    const style = all(doc, (e) => e.name === 'style');
    expect(style).toHaveLength(1);
    const css = text(style[0]!);
    expect(css).toContain('@media screen and (prefers-color-scheme: dark)');
    expect(css).toContain('@media print');
    expect(text(all(doc, (e) => e.name === 'title')[0]!)).toBe('Customer-experience report');
  });

  it('makes no network request: no URL in src, href or url(), a CSP that forbids fetching, no external resource', () => {
    for (const el of all(doc, () => true)) {
      for (const name of ['src', 'href', 'xlink:href', 'action', 'poster', 'data']) {
        const value = el.attribs[name];
        if (value !== undefined) expect(value, `${el.name} ${name}`).toMatch(/^#/);
      }
    }
    // url() only for the charts' own clip paths, by fragment
    expect(html).not.toMatch(/url\((?!#chart-\d+-clip\d+\))/i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/@import/i);
    const csp = all(doc, (e) => e.name === 'meta' && e.attribs['http-equiv'] === 'Content-Security-Policy')[0]!.attribs.content!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('escapes every piece of data: the injected markup is text, and the only script is the page’s own', () => {
    const scripts = all(doc, (e) => e.name === 'script');
    expect(scripts).toHaveLength(1);
    expect(text(scripts[0]!)).toContain('table.sortable');
    expect(all(doc, (e) => e.name === 'img')).toHaveLength(0);
    expect(all(doc, (e) => Object.keys(e.attribs).some((k) => k.startsWith('on')))).toHaveLength(0);
    // the channel name in the SVG axis label, the theme example, the warning, the reject value, the file name
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).not.toContain(INJECTED);
    expect(html).not.toContain('<img');
    const body = text(all(doc, (e) => e.name === 'main')[0]!);
    expect(body).toContain(`Llegó tarde ${INJECTED}`);
    expect(body).toContain(`channel ${INJECTED} rests on 3 answers`);
    expect(body).toContain(`exports/${INJECTED_IMG}.csv`);
    // in the SVG: the axis label (cut to its width limit) and the bar's tooltip
    const channelChart = all(doc, (e) => e.name === 'svg' && /Tickets by channel/.test(text(e)))[0]!;
    expect(all(channelChart, (e) => e.name === 'text').map((e) => text(e))).toContainEqual(expect.stringMatching(/^<script>window\.__pw.*…$/));
    expect(all(channelChart, (e) => e.name === 'path').map((e) => text(e))).toContain(`${INJECTED}: 40 tickets (40.0%)`);
  });

  it('shows the report time it was given, marked as --now, and nowhere another', () => {
    expect(text(doc)).toContain('Report time 2025-07-01 09:30 +02:00 (set with --now)');
    expect(all(doc, (e) => e.name === 'time').map((e) => e.attribs.datetime)).toEqual(['2025-07-01T09:30:00+02:00', '2025-07-01T09:30:00+02:00']);
  });

  it('is the same byte for byte when rendered twice', async () => {
    expect(await renderReportHtml(model(), OPTIONS)).toBe(html);
  });
});

describe('renderReportHtml: content', () => {
  it('headline tiles: value, interval, n, change against the previous period with its significance, sparkline', () => {
    const tile = byId(doc, 'tile-nps').parent as El;
    expect(text(all(tile, (e) => e.attribs.class === 'value')[0]!)).toBe('+50.0');
    expect(text(all(tile, (e) => e.attribs.class === 'ci')[0]!)).toBe('95% CI 38.3 – 61.8 · n = 80');
    // June 10 − May 40 = −30, significant (p = 0.012): worse, since higher is better
    const badge = all(tile, (e) => (e.attribs.class ?? '').startsWith('badge'))[0]!;
    expect(badge.attribs.class).toBe('badge worse');
    expect(text(badge)).toBe('▼ -30.0');
    expect(text(tile)).toContain('vs 2025-05');
    expect(text(tile)).toContain('2025-06: +10.0 · significant');
    expect(all(tile, (e) => e.name === 'svg')).toHaveLength(1);
    const volume = byId(doc, 'tile-ticket_volume').parent as El;
    expect(text(all(volume, (e) => e.attribs.class === 'value')[0]!)).toBe('100');
    expect(text(all(volume, (e) => e.attribs.class === 'ci')[0]!)).toBe('n = 100');
  });

  it('every chart is an SVG with role img, a title and a description it points to, and a text alternative beside it', () => {
    const svgs = all(doc, (e) => e.name === 'svg');
    // 1 sparkline, 1 trend, NPS and CSAT distributions, tickets by channel, drivers
    expect(svgs).toHaveLength(6);
    for (const svg of svgs) {
      expect(svg.attribs.role).toBe('img');
      expect(svg.attribs.xmlns).toBeUndefined();
      const [titleId, descId] = svg.attribs['aria-labelledby']!.split(' ');
      expect(text(byId(doc, titleId!)).length).toBeGreaterThan(5);
      expect(text(byId(doc, descId!)).length).toBeGreaterThan(20);
      expect(Number(svg.attribs.width)).toBeGreaterThan(0);
      expect(Number(svg.attribs.height)).toBeGreaterThan(0);
    }
    for (const figure of all(doc, (e) => e.name === 'figure' && (e.attribs.class ?? '').includes('chart'))) {
      expect(all(figure, (e) => e.name === 'figcaption')).toHaveLength(1);
    }
  });

  it('trend: a marker and a description for the month outside the expected band, and a hidden table of the series', () => {
    const svg = all(byId(doc, 'trends'), (e) => e.name === 'svg')[0]!;
    expect(text(all(svg, (e) => e.name === 'title')[0]!)).toBe('Net Promoter Score by month');
    const desc = text(all(svg, (e) => e.name === 'desc')[0]!);
    expect(desc).toBe('Net Promoter Score by month, 2025-01 to 2025-06: from +40.0 to +10.0; lowest +10.0 (2025-06), highest +42.0 (2025-02); 1 month outside the expected band: 2025-06.');
    // the diamond: one vermillion mark, its tooltip naming the band
    const flagged = all(svg, (e) => e.attribs.fill === '#D55E00');
    expect(flagged).toHaveLength(1);
    expect(text(flagged[0]!)).toContain('2025-06: +10.0 (95% CI -10.0 – 30.0), n = 20; -30.0 vs the month before (significant, p = 0.012); outside the expected band +35.5 – +44.5');
    const table = (svg.parent as El).children.filter((c): c is El => 'name' in c && c.name === 'div').find((d) => d.attribs.class === 'sr-only')!;
    const rows = all(table, (e) => e.name === 'tr');
    expect(rows).toHaveLength(7); // header + 6 months
    expect(rows[6]!.children.map((c) => text(c as El))).toEqual(['2025-06', '+10.0', '-10.0 – 30.0', '20', '-30.0, significant, p = 0.012', 'outside the expected band']);
  });

  it('NPS distribution: 0-10 bars in the three category colours, with the category shares', () => {
    const figure = all(doc, (e) => e.name === 'figure' && text(all(e, (c) => c.name === 'figcaption')[0]!).startsWith('NPS answers by score'))[0]!;
    // 50/80 = 62.5%, 20/80 = 25.0%, 10/80 = 12.5%
    expect(text(all(figure, (e) => e.name === 'figcaption')[0]!)).toBe('NPS answers by score promoters 62.5% · passives 25.0% · detractors 12.5% · n = 80');
    const bars = all(figure, (e) => e.name === 'path' && ['#D55E00', '#E69F00', '#009E73'].includes(e.attribs.fill ?? '') && all(e, (t) => t.name === 'title').length === 1);
    const fills = bars.map((b) => [text(b).split(':')[0], b.attribs.fill]);
    expect(fills).toEqual([
      ['score 0', '#D55E00'],
      ['score 5', '#D55E00'],
      ['score 6', '#D55E00'],
      ['score 7', '#E69F00'],
      ['score 8', '#E69F00'],
      ['score 9', '#009E73'],
      ['score 10', '#009E73'],
    ]);
    expect(text(bars[6]!)).toBe('score 10: 30 answers (37.5%), promoters (9-10)');
  });

  it('CSAT distribution and tickets by channel', () => {
    const csat = all(doc, (e) => e.name === 'figure' && text(e).startsWith('CSAT answers by score'))[0]!;
    expect(text(all(csat, (e) => e.name === 'figcaption')[0]!)).toBe('CSAT answers by score satisfied (4 or above) 70.0% · n = 100');
    const channels = all(doc, (e) => e.name === 'figure' && text(e).startsWith('Tickets by channel'))[0]!;
    const labels = all(channels, (e) => e.name === 'text').map((e) => text(e));
    expect(labels).toContain('60 (60.0%)');
    expect(labels).toContain('40 (40.0%)');
  });

  it('drivers: effect bars with whiskers in impact order, the full table, and the comment themes with an example', () => {
    const section = byId(doc, 'drivers');
    const svg = all(section, (e) => e.name === 'svg')[0]!;
    const bars = all(svg, (e) => e.name === 'path' && all(e, (t) => t.name === 'title').length === 1);
    expect(bars.map((b) => text(b).replace(/: [-+]\d.*$/, ''))).toEqual(['a return', `a complaint (category: ${INJECTED})`]);
    // worse and q < 0.05: vermillion; better, not significant: light blue
    expect(bars.map((b) => b.attribs.fill)).toEqual(['#D55E00', '#9CC9E8']);
    const rows = all(section, (e) => e.name === 'tr').slice(1);
    expect(rows.map((r) => r.children.map((c) => text(c as El)))).toEqual([
      ['1', 'a return', '+20.0 (n = 20)', '+50.0 (n = 60)', '-30.0', '-45.0 … -15.0', '0.002', '-7.5'],
      ['2', `a complaint (category: ${INJECTED})`, '+58.0 (n = 20)', '+50.0 (n = 60)', '+8.0', '-5.0 … 21.0', '0.400', '+2.0'],
    ]);
    const themes = byId(doc, 'themes');
    expect(all(themes, (e) => e.name === 'tr').slice(1).map((r) => r.children.map((c) => text(c as El)))).toEqual([['tarde', 'detractors', '9 vs 0', '3.2', `“Llegó tarde ${INJECTED}”`]]);
  });

  it('without drivers: the section says why, or is left out', async () => {
    const noted = parseDocument(await renderReportHtml(model(), { ...OPTIONS, drivers: null, driversNote: 'No drivers: no NPS answers.' }));
    expect(text(byId(noted, 'drivers'))).toBe('Drivers No drivers: no NPS answers.');
    expect(all(noted, (e) => e.attribs.id === 'themes')).toHaveLength(0);
    const bare = parseDocument(await renderReportHtml(model(), { ...OPTIONS, drivers: undefined }));
    expect(all(bare, (e) => e.attribs.id === 'drivers' || e.attribs.id === 'themes')).toHaveLength(0);
  });

  it('every metric, what was not computed, the row accounting, the rejects and the definitions of the metrics shown', () => {
    const metrics = byId(doc, 'metrics');
    const rows = all(metrics, (e) => e.name === 'tr' && e.parent !== null && (e.parent as El).name === 'tbody').map((r) => r.children.slice(0, 4).map((c) => text(c as El)));
    expect(rows).toEqual([
      ['Net Promoter Score', '+50.0', '38.3 – 61.8', '80'],
      ['Customer satisfaction (CSAT)', '70.0%', '60.4% – 78.0%', '100'],
      ['Ticket volume', '100', '', '100'],
    ]);
    expect(text(byId(doc, 'not-computed'))).toBe(`Not computed, and warnings Not computed backlog: no ticket status among the inputs Warnings channel ${INJECTED} rests on 3 answers`);
    const inputs = text(byId(doc, 'inputs'));
    expect(inputs).toContain('183 rows read = 180 accepted + 1 duplicate + 2 rejected');
    expect(inputs).toContain(`exports/nps.csv 14 score ${INJECTED} expected a score 0-10`);
    const terms = all(byId(doc, 'definitions'), (e) => e.name === 'dt').map((e) => text(e));
    // aht is defined but not shown: left out
    expect(terms).toEqual(['Net Promoter Score nps', 'Customer satisfaction (CSAT) csat', 'Ticket volume ticket_volume']);
    expect(text(byId(doc, 'definitions'))).toContain('100 × (promoters − detractors) / answers unit: points · needs: survey.nps');
  });

  it('the clock time, when no --now was given, is labelled as the time the report was made', async () => {
    const made = parseDocument(await renderReportHtml(model(), { ...OPTIONS, now: '2025-07-01T07:30:00Z', nowSource: 'clock' }));
    expect(text(made)).toContain('Made 2025-07-01 07:30 UTC from 1 input file');
  });

  it('a title of its own, escaped', async () => {
    const titled = parseDocument(await renderReportHtml(model(), { ...OPTIONS, title: 'Q2 <b>review</b>' }));
    expect(text(all(titled, (e) => e.name === 'h1')[0]!)).toBe('Q2 <b>review</b>');
    expect(all(titled, (e) => e.name === 'b')).toHaveLength(0);
  });
});

describe('helpers', () => {
  it('escapeHtml escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('axisFormat picks a readable unit for durations from the largest value', () => {
    // 3 days = 259,200 s ≥ 2 days: days
    expect(axisFormat('seconds', [3_600, 259_200])).toMatchObject({ factor: 86_400, title: 'days' });
    // 3 hours = 10,800 s: hours
    expect(axisFormat('seconds', [10_800, null])).toMatchObject({ factor: 3_600, title: 'hours' });
    expect(axisFormat('seconds', [600])).toMatchObject({ factor: 60, title: 'minutes' });
    expect(axisFormat('seconds', [45])).toMatchObject({ factor: 1, title: 'seconds' });
    expect(axisFormat('share', [0.5])).toMatchObject({ factor: 1, format: '.0%' });
  });
});
