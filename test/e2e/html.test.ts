/**
 * `cxm report --format html` end to end: the page parses (htmlparser2), says the same numbers as
 * the JSON report of the same inputs (each compared through the same formatter the page uses),
 * shows the drivers `cxm drivers` computes, requests nothing from the network, escapes hostile
 * data, and is byte-identical run to run with --now. Also the terminal table's score distributions.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInterval, formatValue } from '../../src/report/format.js';
import type { MetricEntry, ReportModel } from '../../src/report/model.js';
import type { DriversModel } from '../../src/report/render-drivers.js';
import { formatDifference } from '../../src/report/render-drivers.js';
import { formatInt } from '../../src/report/text.js';
import { IMG_CHANNEL, SCRIPT_CHANNEL, SCRIPT_COMMENT, writeHostileExports } from './html-inject.js';
import { cxmRun, tempDir, type RunResult } from './run.js';

type Doc = ReturnType<typeof parseDocument>;
type El = ReturnType<typeof DomUtils.getElementsByTagName>[number];

const INLINE = new Set(['a', 'b', 'code', 'em', 'span', 'strong', 'time']);

/** Text as it reads: a space between blocks and cells, none inside inline elements, whitespace collapsed. */
function text(node: El | Doc): string {
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

function all(root: El | Doc, test: (e: El) => boolean): El[] {
  return DomUtils.findAll(test, root.children);
}

function byId(doc: Doc, id: string): El {
  const el = DomUtils.findOne((e) => e.attribs.id === id, doc.children, true);
  if (!el) throw new Error(`no element #${id}`);
  return el;
}

const DEMO = 'fixtures/demo';
const NOW = '2025-07-01';
const tmp = tempDir('cxm-html-');
const OUT = path.join(tmp, 'report.html');
const hostile = writeHostileExports();

let html: RunResult;
let again: RunResult;
let json: RunResult;
let drivers: RunResult;
let clock: RunResult;
let inject: RunResult;
let table: RunResult;
let help: RunResult;
let page: string;
let doc: Doc;
let model: ReportModel;

beforeAll(async () => {
  [html, again, json, drivers, clock, inject, table, help] = await Promise.all([
    cxmRun(['report', DEMO, '--period', 'month', '--now', NOW, '--format', 'html', '--out', OUT]),
    cxmRun(['report', DEMO, '--period', 'month', '--now', NOW, '--format', 'html']),
    cxmRun(['report', DEMO, '--period', 'month', '--now', NOW, '--format', 'json']),
    cxmRun(['drivers', DEMO, '--format', 'json']),
    cxmRun(['report', DEMO, '--metrics', 'nps,csat', '--format', 'html', '--title', 'Weekly <CX> review']),
    cxmRun(['report', hostile, '--by', 'channel', '--now', NOW, '--format', 'html']),
    cxmRun(['report', DEMO, '--metrics', 'nps,csat']),
    cxmRun(['report', '--help']),
  ]);
  page = readFileSync(OUT, 'utf8');
  doc = parseDocument(page);
  model = JSON.parse(json.stdout) as ReportModel;
}, 600_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(hostile, { recursive: true, force: true });
});

/** The overall, unsegmented rows of the JSON report. */
function headline(m: ReportModel): MetricEntry[] {
  return m.metrics.filter((x) => x.period === null && x.segment === null);
}

describe('cxm report fixtures/demo --period month --format html --now 2025-07-01', () => {
  it('writes one HTML document to --out, says nothing on stderr, and the same bytes to stdout on a second run', () => {
    expect(html.code).toBe(0);
    expect(html.stderr).toBe('');
    expect(html.stdout).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(page);
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(all(doc, (e) => e.name === 'main')).toHaveLength(1);
  });

  it('requests nothing: no URL in src, href or url(), no http(s) anywhere, fetching forbidden by the CSP', () => {
    for (const el of all(doc, () => true)) {
      for (const name of ['src', 'href', 'xlink:href', 'action', 'data', 'poster']) {
        const value = el.attribs[name];
        if (value !== undefined) expect(value, `${el.name} ${name}`).toMatch(/^#[\w-]+$/);
      }
    }
    expect(page).not.toMatch(/https?:/i);
    expect(page).not.toMatch(/url\((?!#chart-\d+-clip\d+\))/);
    const csp = all(doc, (e) => e.name === 'meta' && e.attribs['http-equiv'] === 'Content-Security-Policy')[0]!.attribs.content!;
    expect(csp.split('; ')[0]).toBe("default-src 'none'");
  });

  it('shows --now as the report time, and no other time', () => {
    expect(text(all(doc, (e) => e.name === 'header')[0]!)).toContain('Report time 2025-07-01 00:00 UTC (set with --now) from 12 input files, 34,779 rows read (34,774 accepted, 3 duplicate, 2 rejected).');
    expect(all(doc, (e) => e.name === 'time').map((e) => e.attribs.datetime)).toEqual(['2025-07-01T00:00:00Z', '2025-07-01T00:00:00Z']);
  });

  it('every metric of the JSON report, with the same value, interval and n', () => {
    const rows = new Map(
      all(byId(doc, 'metrics'), (e) => e.name === 'tr' && (e.parent as El).name === 'tbody').map((r) => {
        const cells = r.children.filter((c): c is El => 'name' in c && c.name === 'td').map((c) => text(c).replace(/ ⚠$/, ''));
        return [cells[0]!, cells] as const;
      }),
    );
    const overall = headline(model);
    expect(overall.length).toBeGreaterThan(30);
    expect(rows.size).toBe(overall.length);
    for (const m of overall) {
      const cells = rows.get(m.label);
      expect(cells, m.id).toBeDefined();
      expect(cells!.slice(1, 4), m.id).toEqual([formatValue(m.value, m.unit), formatInterval(m.ci95, m.unit), formatInt(m.n)]);
    }
  });

  it('headline tiles carry the JSON values; NPS is +12.6 = 100 × (697 − 466) / 1836', () => {
    const tiles = all(doc, (e) => e.name === 'article' && e.attribs.class === 'tile');
    expect(tiles.length).toBe(12);
    for (const tile of tiles) {
      const id = all(tile, (e) => e.name === 'h3')[0]!.attribs.id!.replace(/^tile-/, '');
      const m = headline(model).find((x) => x.id === id)!;
      expect(text(all(tile, (e) => e.attribs.class === 'value')[0]!), id).toBe(formatValue(m.value, m.unit));
    }
    expect(text(all(byId(doc, 'tile-nps').parent as El, (e) => e.attribs.class === 'value')[0]!)).toBe('+12.6');
  });

  it('a trend chart per metric with a series, with one marker per anomaly the JSON flags', () => {
    const figures = all(byId(doc, 'trends'), (e) => e.name === 'figure');
    const series = new Map<string, MetricEntry[]>();
    for (const m of model.metrics) if (m.period !== null && m.segment === null) series.set(m.id, [...(series.get(m.id) ?? []), m]);
    const charted = headline(model).filter((m) => (series.get(m.id) ?? []).filter((p) => p.value !== null).length >= 2);
    expect(figures).toHaveLength(charted.length);
    let markers = 0;
    for (const [i, m] of charted.entries()) {
      const figure = figures[i]!;
      expect(text(all(figure, (e) => e.name === 'figcaption')[0]!).startsWith(m.label)).toBe(true);
      const flagged = series.get(m.id)!.filter((p) => p.anomaly?.flagged && p.value !== null).length;
      const diamonds = all(figure, (e) => e.name === 'path' && e.attribs.fill === '#D55E00' && all(e, (t) => t.name === 'title').length === 1);
      expect(diamonds.length, m.id).toBe(flagged);
      markers += flagged;
    }
    // the demo has anomalies to show (38 flagged months at the time of writing)
    expect(markers).toBeGreaterThan(10);
  });

  it('NPS distribution: the JSON counts as 0-10 bars, with the category shares in the caption', () => {
    const nps = headline(model).find((m) => m.id === 'nps')!;
    const d = nps.detail as { promoters: number; passives: number; detractors: number; distribution: Record<string, number> };
    // 697 / 1836 = 38.0%, 673 / 1836 = 36.7%, 466 / 1836 = 25.4%
    const figure = all(byId(doc, 'distributions'), (e) => e.name === 'figure')[0]!;
    expect(text(all(figure, (e) => e.name === 'figcaption')[0]!)).toBe('NPS answers by score promoters 38.0% · passives 36.7% · detractors 25.4% · n = 1,836');
    const bars = all(figure, (e) => e.name === 'path' && all(e, (t) => t.name === 'title').length === 1).map((b) => text(b));
    expect(bars).toHaveLength(11);
    for (const [score, count] of Object.entries(d.distribution)) expect(bars).toContainEqual(expect.stringMatching(new RegExp(`^score ${score}: ${formatInt(count)} answers `)));
  });

  it('tickets by channel: the JSON by_channel counts', () => {
    const volume = headline(model).find((m) => m.id === 'ticket_volume')!;
    const byChannel = volume.detail.by_channel as Record<string, { count: number }>;
    const figure = all(byId(doc, 'distributions'), (e) => e.name === 'figure' && text(e).startsWith('Tickets by channel'))[0]!;
    const tips = all(figure, (e) => e.name === 'path' && all(e, (t) => t.name === 'title').length === 1).map((b) => text(b));
    // 873 + 630 + 413 + 204 = 2,120 tickets
    expect(tips).toEqual(['email: 873 tickets (41.2%)', 'web: 630 tickets (29.7%)', 'chat: 413 tickets (19.5%)', 'phone: 204 tickets (9.6%)']);
    expect(Object.values(byChannel).reduce((s, c) => s + c.count, 0)).toBe(2120);
  });

  it('drivers of NPS: the same exposures, order and differences as `cxm drivers --format json`', () => {
    expect(drivers.code).toBe(0);
    const expected = JSON.parse(drivers.stdout) as DriversModel;
    const rows = all(byId(doc, 'drivers'), (e) => e.name === 'tr' && (e.parent as El).name === 'tbody').map((r) =>
      r.children.filter((c): c is El => 'name' in c && c.name === 'td').map((c) => text(c)),
    );
    expect(rows.map((r) => [r[1], r[4]])).toEqual(expected.drivers.map((d) => [d.label, formatDifference(d.difference, expected.unit)]));
    expect(rows[0]).toEqual(['1', 'a return', '+1.3 (n = 390)', '+15.7 (n = 1,445)', '-14.4', '-23.3 … -5.5', '0.018', '-3.1']);
    const bars = all(byId(doc, 'drivers'), (e) => e.name === 'svg')[0]!;
    expect(all(bars, (e) => e.name === 'path' && all(e, (t) => t.name === 'title').length === 1)).toHaveLength(Math.min(15, expected.drivers.filter((d) => d.ranked).length));
    const themes = all(byId(doc, 'themes'), (e) => e.name === 'tr' && (e.parent as El).name === 'tbody').map((r) => text(r.children[0] as El));
    expect(themes).toEqual(expected.themes.map((t) => t.term));
  });

  it('row accounting, rejects and a definition for every metric shown', () => {
    const inputs = byId(doc, 'inputs');
    expect(text(all(inputs, (e) => e.name === 'tfoot')[0]!)).toBe(`12 inputs ${formatInt(model.totals.read)} ${formatInt(model.totals.accepted)} 3 2`);
    expect(text(inputs)).toContain('fixtures/demo/encuestas_nps.csv 3610 Puntuación 11 expected a whole score 0-10, got "11"');
    const ids = all(byId(doc, 'definitions'), (e) => e.name === 'dt').map((e) => text(all(e, (c) => c.name === 'code')[0]!));
    expect(ids).toEqual([...new Set(model.metrics.map((m) => m.id))]);
  });

  it('without --now: the time it was made, labelled so; --title sets the heading, escaped', () => {
    expect(clock.code).toBe(0);
    const made = parseDocument(clock.stdout);
    expect(text(all(made, (e) => e.name === 'header')[0]!)).toMatch(/Made \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC from 12 input files/);
    expect(text(all(made, (e) => e.name === 'h1')[0]!)).toBe('Weekly <CX> review');
    // no --period: no trends, a hint instead
    expect(all(made, (e) => e.attribs.id === 'trends')).toHaveLength(0);
    expect(text(made)).toContain('Run with --period month');
  });

  it('help says html is self-contained and the one output that shows a time', () => {
    expect(help.code).toBe(0);
    const flat = help.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('--format html writes one self-contained page');
    expect(flat).toContain('the one output whose body shows a time: the --now instant when given (then the page is byte-identical run to run), else the time it was made');
    expect(flat).toContain('choices: "table", "json", "csv", "md", "html"');
    expect(help.stdout).toContain('--title <text>');
  });
});

describe('hostile data: markup in comments and channel names', () => {
  it('appears as text, escaped, and adds no element', () => {
    expect(inject.code).toBe(0);
    const hostileDoc = parseDocument(inject.stdout);
    expect(all(hostileDoc, (e) => e.name === 'script')).toHaveLength(1);
    expect(all(hostileDoc, (e) => e.name === 'img')).toHaveLength(0);
    expect(all(hostileDoc, (e) => Object.keys(e.attribs).some((k) => k.startsWith('on')))).toHaveLength(0);
    expect(inject.stdout).not.toContain('<script>window');
    expect(inject.stdout).not.toContain('<img');
    const body = text(all(hostileDoc, (e) => e.name === 'main')[0]!);
    // the comment as a theme's example, the survey channel as a segment, the ticket channel in the chart's tooltip
    expect(body).toContain(`“${SCRIPT_COMMENT}”`);
    expect(body).toContain(`channel=${IMG_CHANNEL}`);
    expect(body).toContain(`${SCRIPT_CHANNEL}: 10 tickets (33.3%)`);
    expect(inject.stdout).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt; llegó tarde otra vez');
  });
});

describe('the terminal table: score distributions under Surveys', () => {
  it('bars scaled to the most frequent score, counts, shares and group names', () => {
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    const start = lines.indexOf('NPS answers by score (n = 1,836)');
    expect(start).toBeGreaterThan(0);
    // 10: 384 answers, the most: a full bar of 24 cells; 384 / 1836 = 20.9%
    expect(lines[start + 11]).toBe('  10 ████████████████████████ 384  20.9%');
    // 1: 9 / 384 × 24 = 0.5625 cells: no full cell, 0.5625 × 7 = 3.9 → the 4th eighth ▌; 9 / 1836 = 0.5%
    expect(lines[start + 2]).toBe('   1 ▌                          9   0.5%');
    expect(lines[start + 1]).toMatch(/^ {3}0 \S+ +27 {3}1\.5% {2}detractors$/);
    expect(lines[start + 8]).toMatch(/ 338 {2}18\.4% {2}passives$/);
    expect(lines[start + 10]).toMatch(/ 313 {2}17\.0% {2}promoters$/);
    const csat = lines.indexOf('CSAT answers by score (n = 1,465; satisfied: 4 or above)');
    expect(csat).toBe(start + 13);
    // 5: 581 of 1465 = 39.7%, the most frequent
    expect(lines[csat + 5]).toBe('  5 ████████████████████████ 581  39.7%');
    expect(lines[csat + 4]).toMatch(/ 505 {2}34\.5% {2}satisfied$/);
  });
});
