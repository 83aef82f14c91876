/**
 * The HTML report's inline style sheet and its one small script (sortable tables). Light by
 * default, dark with `prefers-color-scheme: dark`, black on white in print whatever the screen
 * uses. Charts draw text and axes in `currentColor`; their Okabe-Ito blue is lightened in dark mode
 * by overriding the SVG presentation attribute (CSS wins over presentation attributes).
 */

export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --faint: #818b98;
  --card: #f6f8fa; --border: #d1d9e0; --rule: #e6eaef;
  --accent: #0072b2; --good: #0072b2; --bad: #c24e00; --warn: #9a6700;
  --good-bg: #e3f0fa; --bad-bg: #fbeee6; --chip: #eef1f4;
}
@media screen and (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1317; --fg: #e6edf3; --muted: #9ba6b2; --faint: #7d8590;
    --card: #171c22; --border: #30363d; --rule: #252b33;
    --accent: #56b4e9; --good: #56b4e9; --bad: #f0884a; --warn: #d6a13a;
    --good-bg: #12293a; --bad-bg: #3a2214; --chip: #222931;
  }
  .chart svg [fill="#0072B2"] { fill: #56B4E9; }
  .chart svg [stroke="#0072B2"] { stroke: #56B4E9; }
  .chart svg [stroke="white"] { stroke: #0f1317; }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 1160px; padding: 28px 28px 56px;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 1.2rem; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 1rem; margin: 22px 0 10px; color: var(--muted); font-weight: 600; }
p { margin: 6px 0; }
a { color: var(--accent); }
code { font: 0.86em/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--chip); padding: 1px 4px; border-radius: 4px; }
.muted { color: var(--muted); }
.small { font-size: 0.85rem; }
header.report { padding-bottom: 14px; border-bottom: 1px solid var(--border); }
header.report .scope { color: var(--muted); }
header.report .made { color: var(--muted); font-size: 0.9rem; }
nav.toc { margin: 14px 0 0; font-size: 0.9rem; }
nav.toc ol { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav.toc a { text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }

.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 14px; }
.tile {
  background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px 12px;
  display: grid; grid-template-rows: auto auto auto 1fr auto; min-height: 178px;
}
.tile h3 { margin: 0; font-size: 0.84rem; font-weight: 600; color: var(--muted); text-transform: none; }
.tile .value { font-size: 2rem; font-weight: 650; line-height: 1.15; margin: 4px 0 2px; letter-spacing: -0.01em; }
.tile .ci { font-size: 0.82rem; color: var(--muted); }
.tile .ci span { white-space: nowrap; }
.tile .change { font-size: 0.84rem; margin-top: 10px; align-self: start; }
.tile .change .sig { color: var(--muted); font-size: 0.8rem; margin-top: 3px; }
.tile .spark { margin-top: 10px; }
.tile .spark svg { display: block; width: 100%; height: auto; }
.tile .spark .ends { display: flex; justify-content: space-between; color: var(--faint); font-size: 0.72rem; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.badge.better { background: var(--good-bg); color: var(--good); }
.badge.worse { background: var(--bad-bg); color: var(--bad); }
.badge.flat { background: var(--chip); color: var(--muted); }
.small-sample { color: var(--warn); }

.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 14px 18px; }
.charts.wide { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
figure.chart { margin: 0; padding: 12px 14px 8px; border: 1px solid var(--rule); border-radius: 10px; min-width: 0; }
figure.chart figcaption { font-weight: 600; font-size: 0.92rem; margin-bottom: 2px; }
figure.chart figcaption .sub { display: block; font-weight: 400; color: var(--muted); font-size: 0.8rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; margin-top: 6px; }
figure.chart.full { grid-column: 1 / -1; }

.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--border); white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 1px solid var(--border); }
td.nowrap { white-space: nowrap; }
table.metrics { table-layout: fixed; }
table.metrics col:nth-child(1) { width: 44%; }
table.metrics col:nth-child(2) { width: 16%; }
table.metrics col:nth-child(3) { width: 26%; }
table.metrics col:nth-child(4) { width: 14%; }
table.metrics.with-change col:nth-child(1) { width: 31%; }
table.metrics.with-change col:nth-child(2) { width: 11%; }
table.metrics.with-change col:nth-child(3) { width: 19%; }
table.metrics.with-change col:nth-child(4) { width: 9%; }
table.metrics.with-change col:nth-child(5) { width: 30%; }
table.metrics td:nth-child(5) { padding-left: 24px; }
tr.segment td:first-child { padding-left: 26px; color: var(--muted); }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; font-size: 0.7em; }
th[aria-sort="descending"] button::after { content: " \\25BC"; font-size: 0.7em; }
td.example { color: var(--muted); font-style: italic; max-width: 520px; }
.bar-cell { display: inline-block; height: 0.7em; background: var(--accent); border-radius: 2px; vertical-align: middle; }

dl.definitions { display: grid; grid-template-columns: minmax(180px, 280px) 1fr; gap: 8px 20px; font-size: 0.88rem; margin: 0; }
dl.definitions dt { font-weight: 600; }
dl.definitions dt code { font-weight: 400; }
dl.definitions dd { margin: 0; }
dl.definitions .needs { color: var(--muted); display: block; }
ul.plain { padding-left: 18px; margin: 6px 0; }
ul.plain li { margin: 2px 0; }
.accounting { font-size: 0.95rem; }
.note { border-left: 3px solid var(--border); padding: 2px 12px; color: var(--muted); font-size: 0.88rem; }
footer { margin-top: 48px; color: var(--faint); font-size: 0.82rem; border-top: 1px solid var(--border); padding-top: 10px; }

.sr-only {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}

@media (max-width: 640px) {
  body { padding: 16px 14px 40px; }
  dl.definitions { grid-template-columns: 1fr; }
}
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444c56; --faint: #57606a; --card: #ffffff; --border: #bbbbbb; --rule: #dddddd;
    --accent: #0072b2; --good: #0072b2; --bad: #b24a00; --good-bg: #ffffff; --bad-bg: #ffffff; --chip: #ffffff;
  }
  .chart svg [fill="#56B4E9"][opacity] { opacity: 0.35; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  figure.chart, .tile, tr, dl.definitions dt, dl.definitions dd { break-inside: avoid; }
  .tiles { grid-template-columns: repeat(3, 1fr); }
  .badge { border: 1px solid currentColor; }
  a { color: inherit; text-decoration: none; }
}
`;

/**
 * Progressive enhancement: a header of a `table.sortable` becomes a button that sorts the rows
 * (numbers by their raw `data-v`, text by its content). Without JavaScript the tables read the same.
 */
export const SCRIPT = `(function () {
  function key(cell) {
    var v = cell.getAttribute('data-v');
    if (v !== null) return v === '' ? -Infinity : Number(v);
    return cell.textContent.trim().toLowerCase();
  }
  var tables = document.querySelectorAll('table.sortable');
  for (var t = 0; t < tables.length; t++) (function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || !table.tBodies[0]) return;
    var cells = head.cells;
    for (var i = 0; i < cells.length; i++) (function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        for (var j = 0; j < cells.length; j++) cells[j].removeAttribute('aria-sort');
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[index]), y = key(b.cells[index]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
      });
    })(cells[i], i);
  })(tables[t]);
})();`;
