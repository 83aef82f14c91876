import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { evaluateCheck, parseCheckExpression, summarizeChecks, type CheckData, type CheckReport } from '../analysis/checks.js';
import { checkEntry as entry } from '../analysis/test-support.js';
import {
  githubData,
  githubProperty,
  renderCheckGithub,
  renderCheckJson,
  renderCheckJunit,
  renderCheckMarkdown,
  renderCheckTable,
  resultValue,
  xmlAttr,
} from './render-check.js';

// A hostile segment value: markup, quotes, a GitHub command separator, a comma, a percent sign,
// a line break and a terminal escape.
const HOSTILE = 'a<b>&"c\'|,50%:\n::error::x\u001b[31m';

const data: CheckData = {
  entries: [
    entry({ value: 12.5, ci95: [9, 16] }),
    entry({ id: 'csat', unit: 'share', value: 0.9, ci95: [0.85, 0.94], segment: { channel: 'email' } }),
    entry({ id: 'csat', unit: 'share', value: 0.6, ci95: [0.5, 0.7], segment: { channel: HOSTILE } }),
    entry({ id: 'first_response_time', unit: 'seconds', direction: 'lower', value: 3600, ci95: [3000, 4000], n: 12, small_sample: true, detail: { mean: 5000, p90: 9000 } }),
  ],
  unavailable: [{ id: 'aht', reason: 'no call records among the inputs' }],
  minSample: 30,
  window: ['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'],
};

function build(): CheckReport {
  const exprs: [string, 'error' | 'warn'][] = [
    ['nps >= 10', 'error'], // passes: 12.5 >= 10
    ['csat >= 80% by channel', 'error'], // email passes, the hostile segment fails (60% < 80%)
    ['nps >= 20', 'warn'], // warned: 12.5 < 20 at warn level
    ['first_response_time <= 2h', 'error'], // small sample (n 12): warned under the default policy
    ['aht <= 5m optional', 'error'], // skipped: no call data
    ['aht <= 5m', 'error'], // failed: no call data
  ];
  const results = exprs.flatMap(([text, level], i) =>
    evaluateCheck(parseCheckExpression(text, { level, origin: `--require #${i + 1}` }), data, { mode: 'point', onSmallSample: 'warn' }),
  );
  return summarizeChecks(results, { mode: 'point', on_small_sample: 'warn', timezone: 'UTC', min_sample: 30 });
}

const report = build();

describe('the fixture report', () => {
  it('has the statuses the comments say', () => {
    expect(report.results.map((r) => r.status)).toEqual(['passed', 'passed', 'failed', 'warned', 'warned', 'skipped', 'failed']);
    expect(report.statistics).toEqual({ evaluated: 7, passed: 2, failed: 2, warned: 2, skipped: 1 });
    expect(report.success).toBe(false);
  });
});

describe('resultValue', () => {
  it('humanises value and CI in the unit', () => {
    expect(resultValue(report.results[0]!)).toBe('+12.5 (9.0 – 16.0)');
    expect(resultValue(report.results[1]!)).toBe('90.0% (85.0% – 94.0%)');
    expect(resultValue(report.results[6]!)).toBe('—');
  });
});

describe('renderCheckTable', () => {
  const text = renderCheckTable(report, { color: false });

  it('one row per result with verdict and deciding mode, then reasons and the summary', () => {
    expect(text).toContain('│ nps >= 10');
    expect(text).toMatch(/│ csat >= 80% by channel\s+│ channel=email\s+│\s+90\.0% \(85\.0% – 94\.0%\) │\s+100 │\s+>= 80% │ pass\s+│ point\s+│/);
    expect(text).toMatch(/│ first_response_time <= 2h\s+│\s+│ 1h 00m \(50m 00s – 1h 06m\) │\s+12 │\s+<= 2h │ warn\s+│ small sample │/);
    expect(text).toContain('  FAIL aht <= 5m: no call records among the inputs');
    expect(text).toContain('  warn first_response_time <= 2h: small sample: n = 12 (fewer than 30); on its value it would pass (--on-small-sample warn)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('7 check results: 2 passed, 2 failed, 2 warned, 1 skipped (mode point; small samples (n < 30): warn; time zone UTC)');
  });

  it('untrusted text reaches the terminal without escape sequences or line breaks', () => {
    expect(text).not.toContain('\u001b');
    expect(text).toContain('│ channel=a<b>&"c\'|,50%: ::error::x │');
  });

  it('colours only when asked', () => {
    expect(renderCheckTable(report, { color: true })).toContain('\u001b[');
  });
});

describe('renderCheckJson', () => {
  it('is the report, parseable, with success, statistics and results', () => {
    const parsed = JSON.parse(renderCheckJson(report)) as CheckReport;
    expect(parsed.success).toBe(false);
    expect(parsed.statistics).toEqual({ evaluated: 7, passed: 2, failed: 2, warned: 2, skipped: 1 });
    expect(parsed.results[2]).toMatchObject({ check: 'csat >= 80% by channel', segment: { channel: HOSTILE }, status: 'failed', value: 0.6, threshold: 0.8, decided_by: 'point' });
  });
});

describe('renderCheckJunit', () => {
  const xml = renderCheckJunit(report);

  it('is valid XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('one testcase per check and segment; failures, skips and warnings as JUnit knows them', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'property' });
    const doc = parser.parse(xml) as {
      testsuites: { tests: string; failures: string; skipped: string; testsuite: { testcase: Record<string, unknown>[]; properties: { property: { name: string; value: string }[] } } };
    };
    expect(doc.testsuites).toMatchObject({ tests: '7', failures: '2', skipped: '1' });
    const cases = doc.testsuites.testsuite.testcase;
    expect(cases).toHaveLength(7);
    expect(cases.map((c) => c.name)).toEqual([
      'nps >= 10',
      'csat >= 80% by channel [channel=email]',
      // the hostile segment comes back on one line, its escape sequence stripped
      'csat >= 80% by channel [channel=a<b>&"c\'|,50%: ::error::x]',
      'nps >= 20',
      'first_response_time <= 2h',
      'aht <= 5m',
      'aht <= 5m',
    ]);
    expect(cases[0]!.classname).toBe('cxm.check.nps');
    expect(cases[2]!.failure).toMatchObject({ message: 'below the minimum', type: 'point' });
    expect(String((cases[2]!.failure as Record<string, unknown>)['#text'])).toContain('threshold: >= 80%');
    expect(cases[3]!['system-out']).toContain('warning: check: nps >= 20 (--require #3, level warn)');
    expect(cases[5]!.skipped).toMatchObject({ message: 'no call records among the inputs (optional: skipped)' });
    expect(cases[6]!.failure).toMatchObject({ message: 'no call records among the inputs', type: 'unavailable' });
    expect(doc.testsuites.testsuite.properties.property).toContainEqual({ name: 'mode', value: 'point' });
  });

  it('escapes attributes, drops characters XML cannot hold', () => {
    expect(xmlAttr('a<b>&"c\'\nd\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;&#10;d');
  });
});

describe('renderCheckGithub', () => {
  const text = renderCheckGithub(report);
  const lines = text.trimEnd().split('\n');

  it('an ::error per failed result, a ::warning per warned one, a plain summary last', () => {
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['::error', '::warning', '::warning', '::error', 'cxm']);
    expect(lines[1]).toBe('::warning title=cxm check%3A nps >= 20::+12.5 (9.0 – 16.0) vs >= 20 (point): below the minimum');
    expect(lines[3]).toBe('::error title=cxm check%3A aht <= 5m::— vs <= 5m (no data): no call records among the inputs');
    expect(lines[4]).toBe('cxm check: 7 check results: 2 passed, 2 failed, 2 warned, 1 skipped (mode point; small samples (n < 30): warn; time zone UTC)');
  });

  it('escapes %, CR, LF in messages and also : and , in properties, so a value cannot start a command', () => {
    expect(lines[0]).toBe(
      '::error title=cxm check%3A csat >= 80%25 by channel [channel=a<b>&"c\'|%2C50%25%3A %3A%3Aerror%3A%3Ax]::60.0%25 (50.0%25 – 70.0%25) vs >= 80%25 (point): below the minimum',
    );
    expect(githubData('50%\r\nx:y,z')).toBe('50%25%0D%0Ax:y,z');
    expect(githubProperty('50%\r\nx:y,z')).toBe('50%25%0D%0Ax%3Ay%2Cz');
  });
});

describe('renderCheckMarkdown', () => {
  const md = renderCheckMarkdown(report);
  const lines = md.trimEnd().split('\n');

  it('a headline verdict, a table row per result, the settings', () => {
    expect(lines[0]).toBe('### cxm check: ❌ 2 failed');
    expect(lines[2]).toBe('7 check results: 2 passed, 2 failed, 2 warned, 1 skipped.');
    expect(lines[4]).toBe('| | check | segment | value (95% CI) | threshold | decided by | why |');
    expect(lines[6]).toBe('| ✅ | `nps >= 10` |  | +12.5 (9.0 – 16.0) | &gt;= 10 | point | meets the minimum |');
    expect(lines.filter((l) => l.startsWith('| '))).toHaveLength(2 + 7);
    expect(lines.at(-1)).toBe('<sub>mode point; small samples (n &lt; 30): warn; time zone UTC</sub>');
  });

  it('a hostile segment stays inside its cell: pipes escaped, markup and line breaks defused', () => {
    const row = lines[8]!;
    const start = '| ❌ | `csat >= 80% by channel` | channel=a&lt;b&gt;&"c\'\\|,50%: ::error::x |';
    expect(row.slice(0, start.length)).toBe(start);
    expect(row.split(/(?<!\\)\|/)).toHaveLength(9);
  });

  it('passes with warnings says so', () => {
    const ok = summarizeChecks(report.results.filter((r) => r.status !== 'failed'), report.settings);
    expect(renderCheckMarkdown(ok).split('\n')[0]).toBe('### cxm check: ✅ passed with 2 warnings');
  });
});
