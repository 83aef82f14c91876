/**
 * Record ids -> a number (the position of the record held), or a plain set of ids: the
 * de-duplication lookup every row goes through.
 *
 * A `Map<string, number>` holding a million ids costs 500-900 ns per insertion (each probe chases a
 * pointer to a bucket chain, then to the key string) and keeps a million strings alive, which the
 * garbage collector copies out of the young generation one by one (about 0.6 s of a 1M-row run).
 * This table keeps the ids' characters in one typed array and each slot's hash beside it: a probe
 * compares numbers and reads characters only when the hashes match, and the id strings themselves
 * die young. About 200-400 ns per insertion; 2 bytes per character (plus 4 per id) and 8 (a set)
 * or 12 bytes per slot, with 4/3 to 8/3 slots per id (the table doubles at 3/4 load).
 *
 * Open addressing with linear probing (Knuth, TAOCP vol. 3, 6.4, algorithm L), FNV-1a hashes of
 * the UTF-16 code units, seeded per process so that crafted ids cannot make the probes collide on
 * purpose. The table doubles at 3/4 load. Nothing is ever removed.
 *
 * Most exports number their rows (`R1042`, `T-88213`, `100234`): an id made of a prefix and a
 * decimal number below 2^31 written without leading zeros names that number one way only, so it
 * is looked up by number instead, in pages of 4,096 flags or values per prefix (16 prefixes at
 * most, kept for good from their first id): no hashing, neighbouring ids share a cache line, and
 * an id costs one byte (a set) or four (values), so 30M numbered ids fit in 30 MB.
 * Every other id (leading zeros, larger numbers, other prefixes, no digits) goes to the table.
 *
 * Pages pay only where the numbers are dense. Once a prefix holds 256 pages or more with fewer
 * than one id in 16 of their slots (scattered numbers, or crafted ones: one id per page would
 * cost 4 KB), it is sealed: it allocates no more pages, and a number whose page does not exist
 * goes to the table. Pages are never allocated after the seal, so every id keeps one home: the
 * page that existed when it first came, or the table.
 */

/** Per-process seed (0 is the empty-slot marker, hence the `| 1` on every hash). */
const SEED = (Math.random() * 0x100000000) | 0;

function hashOf(key: string): number {
  let h = SEED ^ 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 1;
}

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
/** Numbers from 0 to 2^31 - 1 take the numbered path: at most 524,288 pages per prefix. */
const MAX_NUMBER = 2 ** 31;
/** A prefix with at least this many pages, filled to less than 1/SPARSE, allocates no more. */
const SEAL_PAGES = 256;
const SPARSE = 16;
const MAX_PREFIXES = 16;

/** Whether `key` starts with `prefix` (a short one, compared in place). */
function startsWith(key: string, prefix: string): boolean {
  for (let j = 0; j < prefix.length; j++) if (key.charCodeAt(j) !== prefix.charCodeAt(j)) return false;
  return true;
}

/** The numbered ids of one prefix: a flag (set) or the value + 1 (map) per number, 0 when absent. */
class NumberedIds {
  readonly pages: (Uint8Array | Int32Array | undefined)[] = [];
  /** Pages allocated, ids held in them. */
  private pageCount = 0;
  /** Ids held in the pages. */
  private held = 0;
  /** No more pages (see the module comment). */
  private sealed = false;
  constructor(private readonly withValues: boolean) {}

  /** The page of block `p`, allocated unless the prefix is sealed (then null: the table holds such numbers). */
  pageFor(p: number): Uint8Array | Int32Array | null {
    const page = this.pages[p];
    if (page) return page;
    if (this.sealed) return null;
    if (this.pageCount >= SEAL_PAGES && this.held * SPARSE < this.pageCount * PAGE_SIZE) {
      this.sealed = true;
      return null;
    }
    const fresh = this.withValues ? new Int32Array(PAGE_SIZE) : new Uint8Array(PAGE_SIZE);
    this.pages[p] = fresh;
    this.pageCount++;
    return fresh;
  }

  /** As IdIndex.getOrAdd; null when the number's page does not exist and may not be allocated. */
  getOrAdd(number: number, value: number): number | undefined | null {
    const page = this.pageFor(number >>> PAGE_BITS);
    if (page === null) return null;
    const at = number & (PAGE_SIZE - 1);
    const held = page[at]!;
    if (held !== 0) return this.withValues ? held - 1 : 0;
    page[at] = this.withValues ? value + 1 : 1;
    this.held++;
    return undefined;
  }

  /** Sets a flag of a set's page (mergeIds); true when it was set already. */
  mark(page: Uint8Array, at: number): boolean {
    if (page[at] !== 0) return true;
    page[at] = 1;
    this.held++;
    return false;
  }
}

/** The ids of an IdIndex as plain data: see `IdIndex.exportIds`. */
export interface IdList {
  /** Per numbered prefix, a page of 4,096 flags (1: held) per block of numbers, null where none is. */
  numbered: [string, (Uint8Array | null)[]][];
  /** Every other id: its length (two code units, high then low) followed by its UTF-16 code units. */
  chars: Uint16Array;
}

/** The buffers of an IdList, to transfer it to another thread instead of copying it (`postMessage`). */
export function idListBuffers(list: IdList): ArrayBuffer[] {
  const buffers = [list.chars.buffer as ArrayBuffer];
  for (const [, pages] of list.numbered) for (const page of pages) if (page) buffers.push(page.buffer as ArrayBuffer);
  return buffers;
}

/** Ids -> whole numbers from 0 to 2^31 - 2 (positions in a list), or a set of ids (`new IdIndex(false)`). */
export class IdIndex {
  private capacity = 1 << 10;
  private mask = this.capacity - 1;
  /**
   * Per slot, side by side so that a probe reads one cache line: the hash (0: empty), where the
   * id is in `chars`, and (not for a set) the value. Small slots keep the table, and the cache
   * and TLB misses of its random probes, small.
   */
  private slots: Int32Array;
  private readonly stride: number;
  /** Each id as its length (two code units, high then low 16 bits) followed by its UTF-16 code units. */
  private chars = new Uint16Array(1 << 14);
  private used = 0;
  /** The numbered path: per prefix, or null for a prefix that came after the first 16. */
  private readonly prefixes = new Map<string, NumberedIds | null>();
  private lastPrefix: string | null = null;
  private lastNumbered: NumberedIds | null = null;
  /** Ids held, and those of them in the table. */
  size = 0;
  private hashed = 0;

  constructor(private readonly withValues = true) {
    this.stride = withValues ? 3 : 2;
    this.slots = new Int32Array(this.capacity * this.stride);
  }

  /**
   * The value held for `key`, or, when the key is new, `undefined` after storing it with `value`.
   * A set answers 0 for a key it holds.
   *
   * @example
   * const ids = new IdIndex();
   * ids.getOrAdd('R1', 0); // undefined (added)
   * ids.getOrAdd('R1', 7); // 0
   */
  getOrAdd(key: string, value: number): number | undefined {
    // The numbered path: a trailing decimal number below 2^31 without a leading zero (so that the
    // prefix and the number name the key one way only), read in one pass from the end; the last
    // prefix is remembered (most rows share it).
    const n = key.length;
    let start = n;
    let number = 0;
    let scale = 1;
    while (start > 0) {
      const digit = key.charCodeAt(start - 1) - 48;
      if (digit < 0 || digit > 9) break;
      number += digit * scale;
      scale *= 10;
      start--;
    }
    const digits = n - start;
    if (digits > 0 && digits <= 10 && (digits === 1 || key.charCodeAt(start) !== 48) && number < MAX_NUMBER) {
      const last = this.lastPrefix;
      const numbered = last !== null && last.length === start && startsWith(key, last) ? this.lastNumbered : this.numberedFor(key, start);
      if (numbered) {
        // null: the number's block has no page, and the prefix is sealed (the table holds it).
        const held = numbered.getOrAdd(number, value);
        if (held !== null) {
          if (held === undefined) this.size++;
          return held;
        }
      }
    }
    if ((this.hashed + 1) * 4 > this.capacity * 3) this.grow();
    const h = hashOf(key);
    const slots = this.slots;
    const stride = this.stride;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const at = i * stride;
      const slot = slots[at]!;
      if (slot === 0) {
        slots[at] = h;
        slots[at + 1] = this.store(key);
        if (this.withValues) slots[at + 2] = value;
        this.size++;
        this.hashed++;
        return undefined;
      }
      if (slot === h && this.equals(slots[at + 1]!, key)) return this.withValues ? slots[at + 2] : 0;
      i = (i + 1) & mask;
    }
  }

  /**
   * The ids held, as plain data whose typed arrays may be transferred to another thread
   * (`mergeIds` there): per numbered prefix a page of flags per 4,096 numbers, and the other ids'
   * code units.
   */
  exportIds(): IdList {
    const numbered: IdList['numbered'] = [];
    for (const [prefix, ids] of this.prefixes) {
      if (!ids) continue;
      numbered.push([prefix, ids.pages.map((page) => (page ? (page instanceof Uint8Array ? page : Uint8Array.from(page, (v) => (v !== 0 ? 1 : 0))) : null))]);
    }
    return { numbered, chars: this.chars.slice(0, this.used) };
  }

  /** Adds the ids of another index (`exportIds`) to this set; returns how many of them it held already. */
  mergeIds(list: IdList): number {
    if (this.withValues) throw new Error('IdIndex.mergeIds: only for a set of ids');
    let held = 0;
    for (const [prefix, pages] of list.numbered) {
      let ids = this.prefixes.get(prefix);
      if (ids === undefined && this.prefixes.size < MAX_PREFIXES) this.prefixes.set(prefix, (ids = new NumberedIds(false)));
      for (let p = 0; p < pages.length; p++) {
        const page = pages[p];
        if (!page) continue;
        const mine = ids ? (ids.pageFor(p) as Uint8Array | null) : null;
        if (ids && mine) {
          for (let i = 0; i < PAGE_SIZE; i++) {
            if (page[i] === 0) continue;
            if (ids.mark(mine, i)) held++;
            else this.size++;
          }
        } else {
          // Numbers this index keeps in its table: a prefix that came after the first 16 here, or
          // a block of a sealed prefix.
          for (let i = 0; i < PAGE_SIZE; i++) if (page[i] !== 0 && this.getOrAdd(`${prefix}${p * PAGE_SIZE + i}`, 0) !== undefined) held++;
        }
      }
    }
    const chars = list.chars;
    for (let at = 0; at < chars.length; ) {
      const n = chars[at]! * 0x10000 + chars[at + 1]!;
      let key = '';
      for (let j = at + 2; j < at + 2 + n; j += 4096) key += String.fromCharCode(...chars.subarray(j, Math.min(j + 4096, at + 2 + n)));
      if (this.getOrAdd(key, 0) !== undefined) held++;
      at += n + 2;
    }
    return held;
  }

  private numberedFor(key: string, start: number): NumberedIds | null {
    const prefix = key.slice(0, start);
    let numbered = this.prefixes.get(prefix);
    if (numbered === undefined) {
      numbered = this.prefixes.size < MAX_PREFIXES ? new NumberedIds(this.withValues) : null;
      this.prefixes.set(prefix, numbered);
    }
    this.lastPrefix = prefix;
    this.lastNumbered = numbered;
    return numbered;
  }

  private equals(start: number, key: string): boolean {
    const chars = this.chars;
    const n = key.length;
    if (chars[start] !== n >>> 16 || chars[start + 1] !== (n & 0xffff)) return false;
    for (let j = 0; j < n; j++) if (chars[start + 2 + j] !== key.charCodeAt(j)) return false;
    return true;
  }

  /** Appends the id to `chars`; returns where it starts. */
  private store(key: string): number {
    const n = key.length;
    if (this.used + n + 2 > this.chars.length) {
      let size = this.chars.length * 2;
      while (size < this.used + n + 2) size *= 2;
      const chars = new Uint16Array(size);
      chars.set(this.chars.subarray(0, this.used));
      this.chars = chars;
    }
    const chars = this.chars;
    const start = this.used;
    chars[start] = n >>> 16;
    chars[start + 1] = n & 0xffff;
    for (let j = 0; j < n; j++) chars[start + 2 + j] = key.charCodeAt(j);
    this.used += n + 2;
    return start;
  }

  private grow(): void {
    const old = this.slots;
    const stride = this.stride;
    this.capacity *= 2;
    this.mask = this.capacity - 1;
    const slots = new Int32Array(this.capacity * stride);
    for (let j = 0; j < old.length; j += stride) {
      const h = old[j]!;
      if (h === 0) continue;
      let i = h & this.mask;
      while (slots[i * stride] !== 0) i = (i + 1) & this.mask;
      const at = i * stride;
      for (let k = 0; k < stride; k++) slots[at + k] = old[j + k]!;
    }
    this.slots = slots;
  }
}
