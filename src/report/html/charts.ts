/**
 * The HTML report's charts: Vega-Lite specs compiled and rendered to SVG strings in Node at report
 * time (`vega.parse(vegaLite.compile(spec).spec)` into a headless `vega.View` with the `none`
 * renderer; no canvas, no DOM, no network). Spec builders take rows the renderer has already
 * formatted (labels, tooltip text) and only map them to marks; `renderChartSvg` turns a spec into an
 * accessible inline SVG: `role="img"`, a `<title>` and `<desc>` referenced by `aria-labelledby`,
 * a `<title>` tooltip on each data mark, and no XML namespace URLs (inline SVG in HTML needs none).
 *
 * Colours: the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), safe for the common
 * colour-vision deficiencies; text, axes and grid use `currentColor`, so the page's light or dark
 * style decides them. Category colour is never the only cue: axes, legends and labels name it too.
 *
 * Determinism: the same rows give the same SVG byte for byte (ordinal axes, no dates parsed in the
 * process's time zone, no random ids).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Okabe-Ito. */
export const PALETTE = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#8C8C8C',
} as const;

export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';

// Text widths. Without the native `canvas` package Vega guesses 0.8 em per character, about 50%
// too wide for a sans-serif, which truncates labels and squeezes plots; with `canvas` installed
// it would measure with whatever fonts the machine has, so the same report would differ between
// machines. Instead: fixed advance widths (Arial's, per 1000 em, 15% added for the wider UI fonts
// such as DejaVu Sans, so labels are never cut), the same everywhere.
const ADVANCE: Record<string, number> = {};
function setWidths(chars: string, width: number): void {
  for (const ch of chars) ADVANCE[ch] = width;
}
setWidths('abdeghnopqu0123456789$#_?', 556);
setWidths('cksvxyzJ', 500);
setWidths('ftI!/\\.,:;[] ', 278);
setWidths('ilj|\'', 222);
setWidths('r()-{}*"', 333);
setWidths('mM', 833);
setWidths('wCDHNRU', 722);
setWidths('ABEKPSVXY&', 667);
setWidths('FTZL', 611);
setWidths('GOQ', 778);
setWidths('W%', 944);
setWidths('+=<>~−±×', 584);
setWidths('–', 556);
setWidths('—…', 1000);
setWidths('◆▲▼●', 800);

/** Estimated width in px of `text` at `fontSize` px in a sans-serif UI font. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text.normalize('NFD')) {
    const known = ADVANCE[ch];
    if (known !== undefined) units += known;
    else if (/\p{M}/u.test(ch)) continue; // a combining accent adds no width
    else if (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)) units += 1000;
    else units += 600;
  }
  return Math.ceil((units * 1.15 * fontSize) / 1000);
}

// Vega calls this for a text mark's bounds and for label truncation (`limit`); capping at the limit
// keeps both right: a capped width counts as "too long", and the bounds are those of the cut label.
type TextWidth = (item: { fontSize?: number; limit?: number }, text?: unknown) => number;
(vega as unknown as { textMetrics: { width: TextWidth } }).textMetrics.width = (item, text) => {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const value = text === null || text === undefined ? '' : String(text).trim();
  const width = estimateTextWidth(value, size);
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
};

const CONFIG = {
  font: FONT,
  aria: false,
  view: { stroke: null },
  padding: 4,
  axis: {
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    domainColor: 'currentColor',
    domainOpacity: 0.35,
    tickColor: 'currentColor',
    tickOpacity: 0.35,
    gridColor: 'currentColor',
    gridOpacity: 0.12,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
  },
  legend: { labelColor: 'currentColor', titleColor: 'currentColor', labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'top', labelLimit: 320, columnPadding: 18 },
  title: { color: 'currentColor' },
  text: { color: 'currentColor' },
} as const;

/** What a chart says to people who cannot see it: its title and a sentence (or a few) of summary. */
export interface ChartText {
  /** Unique in the page: the prefix of the `<title>`/`<desc>` ids. */
  id: string;
  title: string;
  description: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Vega's SVG made fit for inline HTML: the root becomes `role="img"` labelled by a `<title>` and a
 * `<desc>`; each data mark's `aria-label` (from the `description` channel) becomes a `<title>`
 * child, which browsers show as a tooltip; Vega's own ARIA roles and the namespace attributes go.
 * Attribute values from Vega are already XML-escaped, and so is the text moved into `<title>`.
 */
export function finishSvg(svg: string, text: ChartText): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error('vega did not return an SVG document');
  const attributes = open[0]
    .slice(4, -1)
    .replace(/\s(?:xmlns(?::\w+)?|version)="[^"]*"/g, '')
    .trim();
  const id = escapeXml(text.id);
  const head = `<svg role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" ${attributes}><title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.description)}</desc>`;
  const body = svg
    .slice(open[0].length)
    // Vega writes coordinates to 15 digits; a hundredth of a pixel is plenty and halves the page.
    .replace(/ (d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_, name: string, value: string) => ` ${name}="${value.replace(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`)
    .replace(/<(\w+) aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="[^"]*"([^>]*?)\/>/g, '<$1$3><title>$2</title></$1>')
    .replace(/ role="graphics-(?:object|symbol|document)"| aria-roledescription="[^"]*"| aria-hidden="true"| pointer-events="none"| opacity="1"/g, '')
    // Vega's empty hit-test layers (no fill, no stroke): nothing to see.
    .replace(/<path class="(?:background|foreground)"(?![^>]*(?:fill|stroke)=)[^>]*\/>/g, '')
    // Clip paths and gradients get the chart's id as a prefix: unique in the page, whatever else it holds.
    .replace(/(id="|url\(#)((?:clip|gradient_)\d+)/g, `$1${id}-$2`);
  return head + body;
}

/** Compiles a Vega-Lite spec, renders it headlessly to SVG and finishes it (see {@link finishSvg}). */
/**
 * Compiled and parsed charts by their spec without the data: the report draws dozens of charts of
 * a few shapes (a trend per metric), and compiling and parsing is most of the cost of one. The
 * rows are fed to a fresh view of the shared runtime.
 */
const RUNTIMES = new Map<string, vega.Runtime>();
const MAX_RUNTIMES = 64;
const ROWS = 'rows';

function runtimeOf(spec: TopLevelSpec): vega.Runtime {
  const key = JSON.stringify(spec);
  let runtime = RUNTIMES.get(key);
  if (runtime === undefined) {
    if (RUNTIMES.size >= MAX_RUNTIMES) RUNTIMES.clear();
    runtime = vega.parse(compile(spec).spec);
    RUNTIMES.set(key, runtime);
  }
  return runtime;
}

/** Compiles a Vega-Lite spec, renders it headlessly to SVG and finishes it (see {@link finishSvg}). */
export async function renderChartSvg(spec: TopLevelSpec, text: ChartText): Promise<string> {
  // Inline rows become a named data set, so charts that differ only in their rows share a runtime.
  const data = (spec as { data?: { values?: unknown } }).data;
  const rows = data !== undefined && Array.isArray(data.values) ? (data.values as object[]) : null;
  // No background rect: the page behind the chart shows through (light, dark, print).
  const full = {
    ...spec,
    ...(rows ? { data: { name: ROWS } } : {}),
    config: { ...CONFIG, ...(spec.config ?? {}) },
    background: null,
  } as unknown as TopLevelSpec;
  // Vega numbers clip paths and gradients with process-wide counters: restart them, so a chart's
  // SVG depends on its spec alone (finishSvg makes the ids unique in the page).
  (vega as unknown as { resetSVGDefIds?: () => void }).resetSVGDefIds?.();
  const view = new vega.View(runtimeOf(full), { renderer: 'none' });
  try {
    // Copies: Vega tags the objects it is given.
    if (rows) view.data(ROWS, rows.map((r) => ({ ...r })));
    return finishSvg(await view.toSVG(), text);
  } finally {
    view.finalize();
  }
}

// ---------------------------------------------------------------------------------------
// spec builders: rows in, Vega-Lite out

/** How a metric's values are drawn on an axis: already divided by the unit's display factor. */
export interface AxisFormat {
  /** d3-format string for the axis labels. */
  format: string;
  /** Axis title (the unit), or null. */
  title: string | null;
  /** Start the axis at zero (counts). */
  zero: boolean;
}

export interface SparkPoint {
  period: string;
  value: number | null;
}

/** A tile's sparkline: a thin line, the last point marked; no axes. */
export function sparklineSpec(points: readonly SparkPoint[]): TopLevelSpec {
  const values = points.map((p, i) => ({ i, period: p.period, value: p.value, last: i === points.length - 1 }));
  const x = { field: 'i', type: 'quantitative' as const, axis: null, scale: { nice: false, padding: 3 } };
  const y = { field: 'value', type: 'quantitative' as const, axis: null, scale: { zero: false, padding: 3 } };
  return {
    width: 236,
    height: 40,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 2,
    data: { values },
    layer: [
      { mark: { type: 'line', color: PALETTE.blue, strokeWidth: 1.75 }, encoding: { x, y } },
      { transform: [{ filter: 'datum.last && isValid(datum.value)' }], mark: { type: 'circle', color: PALETTE.blue, size: 22, opacity: 1 }, encoding: { x, y } },
    ],
  } as TopLevelSpec;
}

export interface TrendPoint {
  period: string;
  value: number | null;
  low: number | null;
  high: number | null;
  /** Outside the trailing band (model `anomaly.flagged`). */
  flagged: boolean;
  /** Tooltip: the period, its value, interval, n, change. */
  text: string;
}

/** A metric over the periods: the 95% interval as a band, the value as a line, anomalies as marked points. */
export function trendSpec(points: readonly TrendPoint[], axis: AxisFormat): TopLevelSpec {
  const values = points.map((p) => ({ ...p, anomaly: p.flagged ? 'outside the expected band' : 'within' }));
  const x = {
    field: 'period',
    type: 'ordinal' as const,
    sort: null,
    title: null,
    axis: { labelAngle: 0, labelOverlap: 'greedy', labelPadding: 4, ticks: false, labelLimit: 70 },
  };
  const yScale = { zero: axis.zero, nice: true };
  const yAxis = { format: axis.format, title: axis.title, tickCount: 4, domain: false, ticks: false, grid: true };
  return {
    width: 330,
    height: 170,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'area', color: PALETTE.sky, opacity: 0.3 },
        encoding: { x, y: { field: 'low', type: 'quantitative', scale: yScale, axis: yAxis }, y2: { field: 'high' } },
      },
      {
        mark: { type: 'line', color: PALETTE.blue, strokeWidth: 2, point: { filled: true, size: 18, color: PALETTE.blue } },
        encoding: { x, y: { field: 'value', type: 'quantitative', scale: yScale, axis: yAxis } },
      },
      {
        transform: [{ filter: 'isValid(datum.value)' }],
        mark: { type: 'point', aria: true, opacity: 0, size: 140, filled: true },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, description: { field: 'text' } },
      },
      {
        transform: [{ filter: 'datum.flagged && isValid(datum.value)' }],
        mark: { type: 'point', aria: true, shape: 'diamond', filled: true, size: 110, color: PALETTE.vermillion, stroke: 'white', strokeWidth: 1, opacity: 1 },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, description: { field: 'text' } },
      },
    ],
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

export interface BarRow {
  label: string;
  value: number;
  /** The printed value beside the bar. */
  display: string;
  text: string;
}

/** Horizontal bars, largest first, each labelled with its value. */
export function barsSpec(rows: readonly BarRow[], options: { xTitle: string; color?: string }): TopLevelSpec {
  const y = { field: 'label', type: 'nominal' as const, sort: null, title: null, axis: { ticks: false, domain: false, labelLimit: 180, labelPadding: 6 } };
  // Room on the right for the value printed after the longest bar.
  const max = Math.max(0, ...rows.map((r) => r.value));
  const x = { field: 'value', type: 'quantitative' as const, title: options.xTitle, scale: { domain: [0, max * 1.22 || 1], nice: false }, axis: { tickCount: 4, format: ',.0f', grid: true, domain: false } };
  return {
    width: 500,
    height: Math.max(180, rows.length * 34 + 44),
    autosize: { type: 'fit', contains: 'padding' },
    data: { values: rows.map((r) => ({ ...r })) },
    encoding: { y },
    layer: [
      { mark: { type: 'bar', aria: true, color: options.color ?? PALETTE.blue, cornerRadiusEnd: 2, height: { band: 0.7 } }, encoding: { x, description: { field: 'text' } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'display' } } },
    ],
  } as TopLevelSpec;
}

export interface DistributionRow {
  score: string;
  count: number;
  /** The group the score belongs to (promoter…); coloured by `groups`. */
  group: string;
  display: string;
  text: string;
}

/** Answers per score as columns, coloured by group (NPS: detractors, passives, promoters), each with its count on top. */
export function distributionSpec(rows: readonly DistributionRow[], groups: readonly { name: string; color: string }[], options: { xTitle: string }): TopLevelSpec {
  return {
    width: 500,
    height: 230,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values: rows.map((r) => ({ ...r })) },
    encoding: { x: { field: 'score', type: 'ordinal', sort: null, title: options.xTitle, axis: { labelAngle: 0, ticks: false, domain: false } } },
    layer: [
      {
        mark: { type: 'bar', aria: true, cornerRadiusEnd: 2, width: { band: 0.8 } },
        encoding: {
          y: { field: 'count', type: 'quantitative', title: 'answers', axis: { tickCount: 4, format: '~s', domain: false, ticks: false } },
          color: {
            field: 'group',
            type: 'nominal',
            title: null,
            scale: { domain: groups.map((g) => g.name), range: groups.map((g) => g.color) },
            legend: { orient: 'top', direction: 'horizontal', symbolType: 'square' },
          },
          description: { field: 'text' },
        },
      },
      { mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 10 }, encoding: { y: { field: 'count', type: 'quantitative' }, text: { field: 'display' } } },
    ],
  } as TopLevelSpec;
}

export interface EffectRow {
  label: string;
  difference: number;
  low: number;
  high: number;
  /** harmful / helpful, and whether it clears the false-discovery bar. */
  tone: string;
  text: string;
}

/** Effect bars (difference exposed − unexposed) with 95% whiskers, in the given (impact) order, zero marked. */
export function effectsSpec(rows: readonly EffectRow[], tones: readonly { name: string; color: string }[], options: { xTitle: string; format: string }): TopLevelSpec {
  const y = { field: 'label', type: 'nominal' as const, sort: null, title: null, axis: { ticks: false, domain: false, labelLimit: 260, labelPadding: 8 } };
  // Signed labels (+10, −10), and a plain 0.
  const f = JSON.stringify(options.format);
  const xAxis = { tickCount: 5, grid: true, domain: false, labelExpr: `(datum.value > 0 ? '+' : '') + format(datum.value, ${f})` };
  return {
    width: 1000,
    height: Math.max(90, rows.length * 24 + 60),
    autosize: { type: 'fit', contains: 'padding' },
    data: { values: rows.map((r) => ({ ...r, zero: 0 })) },
    layer: [
      {
        mark: { type: 'bar', aria: true, height: { band: 0.62 }, cornerRadius: 1 },
        encoding: {
          y,
          x: { field: 'difference', type: 'quantitative', title: options.xTitle, axis: xAxis },
          x2: { field: 'zero' },
          color: {
            field: 'tone',
            type: 'nominal',
            title: null,
            scale: { domain: tones.map((t) => t.name), range: tones.map((t) => t.color) },
            legend: { orient: 'top', direction: 'horizontal', symbolType: 'square' },
          },
          description: { field: 'text' },
        },
      },
      { mark: { type: 'rule', color: 'currentColor', strokeWidth: 1.25 }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      { mark: { type: 'tick', color: 'currentColor', thickness: 1.25, size: 9 }, encoding: { y, x: { field: 'low', type: 'quantitative' } } },
      { mark: { type: 'tick', color: 'currentColor', thickness: 1.25, size: 9 }, encoding: { y, x: { field: 'high', type: 'quantitative' } } },
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: 'currentColor', opacity: 0.6 }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}
