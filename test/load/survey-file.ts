/**
 * Writes a large, seeded survey CSV by streaming (never more than ~1 MB in memory) and tallies,
 * while writing, what cxm must report for it: NPS and CSAT counts overall and per channel, the
 * rows written, the duplicates and the physical lines of the rows planted to be rejected.
 */
import { createWriteStream } from 'node:fs';
import { Random } from '../../src/metrics/stats/random.js';

export const HEADER = 'response_id,submitted_at,customer_id,channel,nps,csat,comment';

/** Skewed on purpose: some channels get many answers, some few. */
const CHANNELS = ['email', 'email', 'email', 'web', 'web', 'phone', 'chat', 'chat', 'app', 'store', 'sms', 'whatsapp'];

/** Quoted comments carry the delimiter, doubled quotes and line breaks; a few are non-ASCII. */
const COMMENTS = [
  '',
  '',
  '',
  'fast and friendly',
  '"the delivery was late, again"',
  '"slow, but solved"',
  '"line one\nline two, with a comma"',
  '"she said ""fine"", then hung up"',
  '"three\nphysical\nlines"',
  'great product',
  '"¡Qué rápido!, gracias"',
  'nobody answered my emails',
];

/** Rows planted to be rejected: an nps the schema refuses (the id is fresh, the rest valid). */
const BAD_NPS = ['11', 'abc', '-3', '7.5', '12', 'ten', '99'];

export interface Tally {
  promoters: number;
  passives: number;
  detractors: number;
  /** CSAT answers and those >= 4 (the default rule: answers >= 4 / all answers). */
  csatN: number;
  csatPositive: number;
}

export interface Expected {
  bytes: number;
  /** Data rows written (the header excluded): what cxm must count as read. */
  rows: number;
  /** Physical lines written, header included. */
  lines: number;
  duplicates: number;
  /** Physical line numbers (1-based, header = line 1) of the planted bad rows, in order. */
  rejectLines: number[];
  overall: Tally;
  byChannel: Record<string, Tally>;
}

function emptyTally(): Tally {
  return { promoters: 0, passives: 0, detractors: 0, csatN: 0, csatPositive: 0 };
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const START = Date.UTC(2025, 0, 1);
const YEAR_SECONDS = 365 * 86_400;

/**
 * Writes about `targetBytes` bytes of survey rows to `file` and returns what was written.
 * `BAD_NPS.length` bad rows are planted at evenly spaced byte offsets (the last one near the end);
 * every 1,000,003rd row is followed by an exact copy of itself (a duplicate by id, same values,
 * so it cannot change a metric whichever copy is kept).
 */
export async function writeSurveyFile(file: string, targetBytes: number, seed = 20261122): Promise<Expected> {
  const rng = new Random(seed);
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : Promise.race([failed, new Promise<void>((r) => out.once('drain', () => r()))]);

  const expected: Expected = { bytes: 0, rows: 0, lines: 1, duplicates: 0, rejectLines: [], overall: emptyTally(), byChannel: {} };
  const badAt = BAD_NPS.map((_, k) => Math.floor(((k + 1) * targetBytes) / (BAD_NPS.length + 1)));
  let nextBad = 0;
  let bytes = Buffer.byteLength(`${HEADER}\n`);
  let chunk = `${HEADER}\n`;
  let id = 0;

  const push = (row: string) => {
    const text = `${row}\n`;
    chunk += text;
    // Only the comments carry non-ASCII characters; byteLength on every row would be slow.
    bytes += text.length + (row.includes('¡') ? Buffer.byteLength(text) - text.length : 0);
    expected.rows++;
    let breaks = 1;
    for (let i = row.indexOf('\n'); i !== -1; i = row.indexOf('\n', i + 1)) breaks++;
    const line = expected.lines + 1;
    expected.lines += breaks;
    return line;
  };

  while (bytes < targetBytes) {
    const when = iso(START + rng.int(YEAR_SECONDS) * 1000);
    const customer = `C${rng.int(2_000_000)}`;
    const channel = CHANNELS[rng.int(CHANNELS.length)]!;
    const comment = COMMENTS[rng.int(COMMENTS.length)]!;
    if (nextBad < badAt.length && bytes >= badAt[nextBad]!) {
      expected.rejectLines.push(push(`R${id++},${when},${customer},${channel},${BAD_NPS[nextBad]},3,${comment}`));
      nextBad++;
      continue;
    }
    // A blank nps on 1 row in 20 and a blank csat on 1 in 25 (never both: a survey row needs a score).
    const npsBlank = rng.int(20) === 0;
    const csatBlank = !npsBlank && rng.int(25) === 0;
    const nps = npsBlank ? null : rng.int(11);
    const csat = csatBlank ? null : 1 + rng.int(5);
    const row = `R${id++},${when},${customer},${channel},${nps ?? ''},${csat ?? ''},${comment}`;
    push(row);
    const t = (expected.byChannel[channel] ??= emptyTally());
    for (const tally of [expected.overall, t]) {
      if (nps !== null) {
        if (nps >= 9) tally.promoters++;
        else if (nps >= 7) tally.passives++;
        else tally.detractors++;
      }
      if (csat !== null) {
        tally.csatN++;
        if (csat >= 4) tally.csatPositive++;
      }
    }
    if (id % 1_000_003 === 0) {
      push(row);
      expected.duplicates++;
    }
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await Promise.race([failed, new Promise<void>((r) => out.end(() => r()))]);
  expected.bytes = bytes;
  return expected;
}
