import { describe, expect, it } from 'vitest';
import { barsSpec, distributionSpec, effectsSpec, estimateTextWidth, finishSvg, PALETTE, renderChartSvg, sparklineSpec, trendSpec } from './charts.js';

const TEXT = { id: 'c1', title: 'Tickets <by> channel', description: 'email 60 & chat 40' };

describe('finishSvg', () => {
  const raw =
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" class="marks" width="10" height="5" viewBox="0 0 10 5">' +
    '<g class="mark-group role-frame root" role="graphics-object" aria-roledescription="group mark container">' +
    '<path aria-label="a &lt;b&gt; &quot;q&quot;" role="graphics-symbol" aria-roledescription="rect mark" d="M0.123456,1.5h3.333333Z" fill="#0072B2"/>' +
    '<path class="background" aria-hidden="true" d="M0,0h0v0h0Z" pointer-events="none"/>' +
    '<g clip-path="url(#clip1)"><clipPath id="clip1"><path d="M0,0h1v1h-1Z"/></clipPath></g></g></svg>';
  const svg = finishSvg(raw, TEXT);

  it('makes the root an image labelled by its own title and description, escaped, without namespace URLs', () => {
    expect(svg.startsWith('<svg role="img" aria-labelledby="c1-title c1-desc" focusable="false" class="marks" width="10" height="5" viewBox="0 0 10 5">')).toBe(true);
    expect(svg).toContain('<title id="c1-title">Tickets &lt;by&gt; channel</title><desc id="c1-desc">email 60 &amp; chat 40</desc>');
    expect(svg).not.toMatch(/xmlns|http/);
  });

  it('turns each mark’s aria-label into a <title> tooltip and drops Vega’s ARIA roles', () => {
    expect(svg).toContain('<path d="M0.12,1.5h3.33Z" fill="#0072B2"><title>a &lt;b&gt; &quot;q&quot;</title></path>');
    expect(svg).not.toMatch(/graphics-|aria-roledescription|aria-hidden|pointer-events/);
  });

  it('drops the empty hit-test paths and prefixes clip ids with the chart id', () => {
    expect(svg).not.toContain('class="background"');
    expect(svg).toContain('<g clip-path="url(#c1-clip1)"><clipPath id="c1-clip1">');
  });

  it('refuses what is not an SVG document', () => {
    expect(() => finishSvg('<div></div>', TEXT)).toThrow(/SVG/);
  });
});

describe('estimateTextWidth', () => {
  it('adds Arial advance widths plus 15%', () => {
    // "mm": 2 × 833 = 1666 units; × 1.15 × 10 px / 1000 = 19.159 → 20
    expect(estimateTextWidth('mm', 10)).toBe(20);
    // "il": 222 + 222 = 444; × 1.15 × 11 / 1000 = 5.617 → 6
    expect(estimateTextWidth('il', 11)).toBe(6);
    // an accent adds nothing: "é" is "e" (556 × 1.15 × 10 / 1000 = 6.394 → 7)
    expect(estimateTextWidth('é', 10)).toBe(estimateTextWidth('e', 10));
    expect(estimateTextWidth('e', 10)).toBe(7);
    // a CJK character is a full em: 1000 × 1.15 × 10 / 1000 = 11.5 → 12
    expect(estimateTextWidth('中', 10)).toBe(12);
  });
});

describe('renderChartSvg', () => {
  it('renders a Vega-Lite spec to an accessible SVG; data text is escaped in labels and tooltips', async () => {
    const svg = await renderChartSvg(
      barsSpec(
        [
          { label: 'email', value: 60, display: '60', text: 'email: 60' },
          { label: '<script>x</script>', value: 40, display: '40', text: '<script>x</script>: 40' },
        ],
        { xTitle: 'tickets' },
      ),
      TEXT,
    );
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;</text>');
    expect(svg).toContain('<title>&lt;script&gt;x&lt;/script&gt;: 40</title>');
    // two bars in the Okabe-Ito blue
    expect(svg.match(/fill="#0072B2"/g)).toHaveLength(2);
    // the page's colour decides the text
    expect(svg).toContain('fill="currentColor"');
    expect(svg).not.toContain('fill="white"');
  });

  it('gives the same SVG for the same spec, whatever was rendered before', async () => {
    const spec = barsSpec([{ label: 'a', value: 1, display: '1', text: 'a' }], { xTitle: 't' });
    const first = await renderChartSvg(spec, TEXT);
    await renderChartSvg(trendSpec([{ period: 'p', value: 1, low: 0, high: 2, flagged: false, text: 'p' }], { format: ',.0f', title: null, zero: true }), { ...TEXT, id: 'c2' });
    expect(await renderChartSvg(spec, TEXT)).toBe(first);
  });

  it('renders ten charts of the report’s kinds in well under a few seconds of CPU', async () => {
    const months = Array.from({ length: 14 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
    const trend = months.map((period, i) => ({ period, value: 30 + (i % 5), low: 25 + (i % 5), high: 35 + (i % 5), flagged: i === 12, text: period }));
    const specs = [
      ...Array.from({ length: 4 }, () => trendSpec(trend, { format: ',.0f', title: 'points', zero: false })),
      ...Array.from({ length: 3 }, () => sparklineSpec(trend)),
      distributionSpec(
        Array.from({ length: 11 }, (_, s) => ({ score: String(s), count: 10 + s, group: s <= 6 ? 'd' : s <= 8 ? 'p' : 'P', display: String(10 + s), text: String(s) })),
        [
          { name: 'd', color: PALETTE.vermillion },
          { name: 'p', color: PALETTE.orange },
          { name: 'P', color: PALETTE.green },
        ],
        { xTitle: 'score' },
      ),
      barsSpec([{ label: 'email', value: 5, display: '5', text: 'email' }], { xTitle: 'tickets' }),
      effectsSpec([{ label: 'a return', difference: -14, low: -23, high: -5, tone: 'worse', text: 'a return' }], [{ name: 'worse', color: PALETTE.vermillion }], {
        xTitle: 'points',
        format: ',.0f',
      }),
    ];
    await renderChartSvg(specs[0]!, TEXT); // warm-up: the first chart compiles Vega's code paths
    const start = process.cpuUsage();
    for (const [i, spec] of specs.entries()) await renderChartSvg(spec, { ...TEXT, id: `c${i}` });
    const used = process.cpuUsage(start);
    const ms = (used.user + used.system) / 1000;
    console.log(`html charts: 10 rendered in ${ms.toFixed(0)} ms of CPU`);
    // measured 0.35-0.7 s on a two-core machine under heavy load from other processes
    expect(ms).toBeLessThan(3000);
  });
});
