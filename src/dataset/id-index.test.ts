import { describe, expect, it } from 'vitest';
import { IdIndex } from './id-index.js';

describe('IdIndex', () => {
  it('stores a new key and answers the value held for a known one', () => {
    const ids = new IdIndex();
    expect(ids.getOrAdd('R1', 0)).toBeUndefined();
    expect(ids.getOrAdd('R2', 1)).toBeUndefined();
    expect(ids.getOrAdd('R1', 5)).toBe(0); // the first value stays
    expect(ids.getOrAdd('R2', 5)).toBe(1);
    expect(ids.size).toBe(2);
  });

  it('tells apart keys that differ only in case, accents, surrogates or length', () => {
    const ids = new IdIndex();
    const keys = ['a', 'A', 'á', 'a\u0301', '\u{1F600}', '\uD83D', '', 'aa', 'a '];
    keys.forEach((key, i) => expect(ids.getOrAdd(key, i)).toBeUndefined());
    keys.forEach((key, i) => expect(ids.getOrAdd(key, 99)).toBe(i));
    expect(ids.size).toBe(keys.length);
  });

  it('agrees with a Map over 200,000 ids with repeats, across many doublings of the table', () => {
    const ids = new IdIndex();
    const reference = new Map<string, number>();
    // 300,000 draws of 200,000 possible ids: repeats are common, every draw is checked.
    let state = 12345;
    const wrong: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const key = `T-${state % 200_000}`;
      const held = reference.get(key);
      if (ids.getOrAdd(key, i) !== held) wrong.push(key);
      if (held === undefined) reference.set(key, i);
    }
    expect(wrong).toEqual([]);
    expect(ids.size).toBe(reference.size);
    // 300,000 draws of 200,000 ids: about 200,000 × (1 − e^−1.5) = 155,374 distinct, the rest repeats.
    expect(reference.size).toBeGreaterThan(150_000);
    expect(reference.size).toBeLessThan(160_000);
  });
});

describe('IdIndex without values (a set)', () => {
  it('answers undefined for a new id and 0 for one seen before', () => {
    const ids = new IdIndex(false);
    for (let i = 0; i < 5000; i++) expect(ids.getOrAdd(`C${i}`, i)).toBeUndefined();
    for (let i = 0; i < 5000; i += 7) expect(ids.getOrAdd(`C${i}`, 1)).toBe(0);
    expect(ids.size).toBe(5000);
  });
});

describe('IdIndex character store', () => {
  it('holds ids longer than its first buffer, and ids that share a prefix', () => {
    const ids = new IdIndex();
    const long = 'x'.repeat(40_000); // the buffer starts at 16,384 characters
    expect(ids.getOrAdd(long, 1)).toBeUndefined();
    expect(ids.getOrAdd(`${long}y`, 2)).toBeUndefined();
    expect(ids.getOrAdd('x'.repeat(39_999), 3)).toBeUndefined();
    expect(ids.getOrAdd(long, 9)).toBe(1);
    expect(ids.getOrAdd(`${long}y`, 9)).toBe(2);
    expect(ids.getOrAdd('x'.repeat(39_999), 9)).toBe(3);
  });
});

describe('IdIndex numbered ids', () => {
  it('agrees with a Map on ids that look numbered and ids that only nearly do', () => {
    // Prefix + number below 2^31 without leading zeros take the numbered path; the rest (leading
    // zeros, 2^31 and above, a 17th prefix, no digits) the table: the same id must always be found.
    const keys: string[] = [];
    for (const prefix of ['', 'R', 'T-', 'r', 'ORD/2025/', 'x1y']) {
      for (const n of [0, 1, 7, 10, 4095, 4096, 4097, 99_999, 16_777_215, 16_777_216, 123_456_789, 2_147_483_647, 2_147_483_648, 99_999_999_999]) keys.push(`${prefix}${n}`);
      keys.push(`${prefix}007`, `${prefix}00`, `${prefix}0${16_777_215}`);
    }
    for (let p = 0; p < 20; p++) keys.push(`P${String.fromCharCode(65 + p)}-5`, `P${String.fromCharCode(65 + p)}-6`); // 20 more prefixes
    keys.push('', 'abc', '1 ', ' 1', '１２'); // no trailing ASCII digits
    for (const withValues of [true, false]) {
      const ids = new IdIndex(withValues);
      keys.forEach((key, i) => expect(ids.getOrAdd(key, i), key).toBeUndefined());
      keys.forEach((key, i) => expect(ids.getOrAdd(key, 999), key).toBe(withValues ? i : 0));
      expect(ids.size).toBe(keys.length);
      expect(new Set(keys).size).toBe(keys.length); // the list itself has no repeats
    }
  });

  it('tells apart prefixes of the same length when ids of several prefixes alternate (the last prefix is remembered)', () => {
    // 'R' and 'Q' (and 'RR' and 'RQ', 'R-' and 'R_') share a length; the empty prefix and 'R'
    // differ by one character; each id must stay with its own prefix, in both modes.
    const prefixes = ['R', 'Q', 'RR', 'RQ', 'R-', 'R_', '', 'r', 'R\u0301'];
    const keys: string[] = [];
    for (let n = 0; n < 9_000; n += 7) for (const prefix of prefixes) keys.push(`${prefix}${n}`);
    for (const withValues of [true, false]) {
      const ids = new IdIndex(withValues);
      const reference = new Map<string, number>();
      let state = 99;
      const wrong: string[] = [];
      for (let i = 0; i < 40_000; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        // Mostly the next key of the list (alternating prefixes), sometimes an earlier one again.
        const key = keys[state % 5 === 0 ? (state >>> 8) % keys.length : i % keys.length]!;
        const held = reference.get(key);
        if (ids.getOrAdd(key, i) !== (held === undefined ? undefined : withValues ? held : 0)) wrong.push(key);
        if (held === undefined) reference.set(key, i);
      }
      // Then every key once more, in order: each is held by now (9 prefixes × 1,286 numbers 0, 7, … 8,995 = 11,574).
      for (const key of keys) {
        const held = reference.get(key);
        if (ids.getOrAdd(key, -1) !== (held === undefined ? undefined : withValues ? held : 0)) wrong.push(key);
        if (held === undefined) reference.set(key, -1);
      }
      expect(wrong).toEqual([]);
      expect(ids.size).toBe(11_574);
      expect(reference.size).toBe(11_574);
    }
  });

  it('holds a million sequential ids with their positions', () => {
    const ids = new IdIndex();
    for (let i = 0; i < 1_000_000; i++) ids.getOrAdd(`R${i}`, i);
    expect(ids.getOrAdd('R0', -1)).toBe(0);
    expect(ids.getOrAdd('R999999', -1)).toBe(999_999);
    expect(ids.getOrAdd('R1000000', 5)).toBeUndefined();
    expect(ids.size).toBe(1_000_001);
  });

  it('keeps numbers above 2^24 on the numbered path: 5 million sequential ids in flag pages', () => {
    // The 2 GB load run (test/load) numbers its rows past 2^24 = 16,777,216; in the table each id
    // cost ~45 bytes. On the numbered path a set holds one flag byte per number: the pages of
    // `exportIds` cover R16777216…R21777215 and the table holds nothing.
    const ids = new IdIndex(false);
    const from = 16_777_216;
    for (let i = 0; i < 5_000_000; i += 1) ids.getOrAdd(`R${from + i}`, 0);
    expect(ids.size).toBe(5_000_000);
    expect(ids.getOrAdd(`R${from + 4_999_999}`, 0)).toBe(0);
    expect(ids.getOrAdd(`R${from + 5_000_000}`, 0)).toBeUndefined();
    const list = ids.exportIds();
    expect(list.chars.length).toBe(0); // nothing went to the table
    const pages = list.numbered.find(([prefix]) => prefix === 'R')![1].filter((page) => page);
    // Numbers 16,777,216 … 21,777,216 span blocks 4,096 … 5,316 (÷ 4,096, rounded down): 1,221 pages.
    expect(pages.length).toBe(1_221);
  });

  it('seals a prefix whose numbers are scattered, and still finds every id afterwards', () => {
    // One id every 10,000 numbers: a page (4,096 numbers) per id. After 256 pages holding 256 ids
    // (1 in 4,096 < 1 in 16) the prefix allocates no more pages; later numbers whose page does not
    // exist go to the table (their code units appear in `exportIds().chars`), the others to their page.
    for (const withValues of [true, false]) {
      const ids = new IdIndex(withValues);
      const keys: string[] = [];
      for (let i = 0; i < 2_000; i++) keys.push(`S${i * 10_000}`);
      // Numbers next to early ids: their pages exist, so they stay on the numbered path after the seal.
      for (let i = 0; i < 50; i++) keys.push(`S${i * 10_000 + 1}`);
      keys.forEach((key, i) => expect(ids.getOrAdd(key, i), key).toBeUndefined());
      keys.forEach((key, i) => expect(ids.getOrAdd(key, -5), key).toBe(withValues ? i : 0));
      expect(ids.size).toBe(2_050);
      const list = ids.exportIds();
      const paged = list.numbered.find(([prefix]) => prefix === 'S')![1].filter((page) => page).length;
      // The seal comes when the 257th page is asked for: ids 0…255 got pages (i × 10,000 ÷ 4,096
      // gives distinct blocks), the 1,744 others went to the table.
      expect(paged).toBe(256);
      expect(list.chars.length).toBeGreaterThan(1_744 * 2);
      // Merged into another set, every id is recognised as held, whatever its home there.
      if (!withValues) {
        const other = new IdIndex(false);
        for (let i = 0; i < 300; i++) other.getOrAdd(`S${i * 7_919 + 3}`, 0);
        const before = other.size;
        const shared = keys.filter((key) => Number(key.slice(1)) % 7_919 === 3 && Number(key.slice(1)) < 300 * 7_919).length;
        expect(other.mergeIds(list)).toBe(shared);
        expect(other.size).toBe(before + 2_050 - shared);
        for (const key of keys) expect(other.getOrAdd(key, 0), key).toBe(0);
      }
    }
  });
});
