/**
 * Splitting one large CSV file at record boundaries, so that several threads can each read a
 * byte range of it (analysis/parallel.ts), and reading such a range.
 *
 * A newline is a record boundary when the quotes before it (from the start of the file) are even
 * in number: it is then outside any quoted field. papaparse treats a quote inside an unquoted
 * field (`5" screen`) as a plain character, so parity can be fooled; whoever reads the range
 * before a boundary must therefore check that it ended outside a quoted field (no quote error at
 * its end), which proves the boundary is one papaparse itself would cross at a record start.
 *
 * Only for encodings in which `"`, LF and CR are single bytes that no other character contains
 * (UTF-8, Windows-1252): not UTF-16.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { parseCsvStream, type CsvDialect } from './csv.js';
import { ChunkDecoder } from './decode.js';
import type { Newline } from './sniff.js';
import type { Encoding, RawRowSink, SourceInfo } from './types.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Where a range of records starts: a byte offset and the 1-based physical line there. */
export interface SplitPoint {
  offset: number;
  line: number;
}

export interface CsvSplit {
  /** Byte offset just after the header record (and anything before it): the prefix a later range is read with. */
  headerEnd: number;
  /** Line breaks in [0, headerEnd). */
  headerBreaks: number;
  /** Boundaries in increasing order, each the start of a range; the first range starts after the header. */
  points: SplitPoint[];
}

/** Encodings whose bytes `"`, LF and CR are always those characters. */
export function splittable(encoding: Encoding | null): boolean {
  return encoding === 'utf-8' || encoding === 'utf-8-bom' || encoding === 'windows-1252';
}

/**
 * A byte source read front to back in chunks: a Buffer (tests) or a file (read synchronously,
 * 1 MiB at a time: the scan is a few indexOf loops per MiB).
 */
export interface ByteSource {
  size: number;
  /** Copies bytes from `position` into `into`; returns how many (0 at the end). */
  read(into: Buffer, position: number): number;
}

export function bufferSource(buffer: Buffer): ByteSource {
  return { size: buffer.length, read: (into, position) => buffer.copy(into, 0, position, Math.min(buffer.length, position + into.length)) };
}

const SCAN_BYTES = 1 << 20;
/** The header must end within this many bytes. */
const HEADER_BYTES = 1 << 20;

/** Whether a header line's bytes are blank (whitespace, a BOM) or Excel's `sep=;`: the header comes later. */
function notHeader(bytes: Buffer): boolean {
  let text = bytes.toString('latin1');
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
  text = text.trim();
  return text === '' || /^sep=.$/i.test(text);
}

/**
 * Finds up to `parts - 1` record boundaries (`maxPoints` at most), the first near
 * `size * firstShare` (default 1 / parts) and the others evenly after it, and the end of the header.
 * Returns null when there is no header record in the first MiB, or no boundary at all (one huge
 * quoted field, no newline after the middle).
 *
 * The line count follows the CSV reader's rule (csv.ts `countLineBreaks`): CRLF, LF and a lone
 * CR each end a line. With `newline` '\r' (old Mac files) a boundary never falls between a CR and
 * an LF.
 */
export function findCsvSplits(
  source: ByteSource,
  parts: number,
  newline: Newline,
  options: { scanBytes?: number; maxPoints?: number; firstShare?: number } = {},
): CsvSplit | null {
  const size = source.size;
  if (parts < 2 || size === 0) return null;
  const scanBytes = options.scanBytes ?? SCAN_BYTES;
  const maxPoints = Math.min(options.maxPoints ?? parts - 1, parts - 1);
  // The first range's share of the bytes (its reader has no scan to do first), the rest even.
  const firstShare = options.firstShare ?? 1 / parts;
  const targetOf = (k: number) => Math.floor(size * (firstShare + ((k - 1) * (1 - firstShare)) / (parts - 1)));
  const nl = newline === '\n' ? LF : CR;
  const buf = Buffer.allocUnsafe(scanBytes + 1);
  let parity = 0; // quotes so far, mod 2
  let breaks = 0; // line breaks in [0, position)
  let headerEnd = -1;
  let headerBreaks = 0;
  let lineStart = 0; // start of the current record, for the header check
  let headerBytes: Buffer[] = [];
  const points: SplitPoint[] = [];
  let k = 1;
  let target = targetOf(k);

  for (let position = 0; position < size; ) {
    const n = source.read(buf.subarray(0, scanBytes), position);
    if (n <= 0) break;
    // One byte of look-ahead for CR LF pairs at the end of the chunk.
    const more = position + n < size ? source.read(buf.subarray(n, n + 1), position + n) : 0;
    const chunk = buf.subarray(0, n);
    const next = more > 0 ? buf[n]! : -1;

    if (headerEnd >= 0 && position + n <= target) {
      // Wholly before the next target: only the counts matter.
      let quotes = 0;
      for (let i = chunk.indexOf(QUOTE); i !== -1; i = chunk.indexOf(QUOTE, i + 1)) quotes++;
      parity = (parity + quotes) & 1;
      breaks += countBreaks(chunk, next);
      position += n;
      continue;
    }

    // Walk quotes and newlines in order.
    let q = chunk.indexOf(QUOTE);
    let i = 0;
    while (i < n) {
      let e = chunk.indexOf(nl, i);
      if (e === -1) e = n;
      // Quotes before the newline (or the chunk end).
      while (q !== -1 && q < e) {
        parity ^= 1;
        q = chunk.indexOf(QUOTE, q + 1);
      }
      breaks += countBreaks(chunk.subarray(i, e), e < n ? chunk[e]! : next);
      if (e === n) break;
      // chunk[e] is the dialect's newline: an LF counts (a CR before it did not), a CR unless an LF follows.
      if (nl === LF || (e + 1 < n ? chunk[e + 1] : next) !== LF) breaks++;
      const end = position + e + 1; // just after the newline
      i = e + 1;
      if (parity !== 0) continue;
      if (nl === CR && (i < n ? chunk[i] : next) === LF) continue; // never split a CR LF
      if (headerEnd < 0) {
        headerBytes.push(Buffer.from(chunk.subarray(Math.max(0, lineStart - position), e)));
        if (notHeader(Buffer.concat(headerBytes))) {
          headerBytes = [];
          lineStart = end;
          if (end > HEADER_BYTES) return null;
          continue;
        }
        headerEnd = end;
        headerBreaks = breaks;
        headerBytes = [];
        while (target <= headerEnd && k < parts) target = targetOf(++k);
        if (k >= parts) return null;
        continue;
      }
      if (end < target || end >= size) continue;
      points.push({ offset: end, line: breaks + 1 });
      if (++k >= parts || points.length >= maxPoints) return { headerEnd, headerBreaks, points };
      target = Math.max(targetOf(k), end + 1);
    }
    if (headerEnd < 0) {
      headerBytes.push(Buffer.from(chunk.subarray(Math.max(0, lineStart - position))));
      if (position + n > HEADER_BYTES) return null;
    }
    position += n;
  }
  return headerEnd >= 0 && points.length > 0 ? { headerEnd, headerBreaks, points } : null;
}

/**
 * Line breaks in `bytes` by the reader's rule: every LF, and every CR that no LF follows (a CR LF
 * pair counts once, at its LF, even when the LF lies beyond `bytes`). `after` is the byte after
 * them (-1: none).
 */
function countBreaks(bytes: Buffer, after: number): number {
  let lf = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) lf++;
  let cr = 0;
  let pairs = 0;
  for (let i = bytes.indexOf(CR); i !== -1; i = bytes.indexOf(CR, i + 1)) {
    cr++;
    const following = i + 1 < bytes.length ? bytes[i + 1] : after;
    if (following === LF) pairs++;
  }
  return lf + cr - pairs;
}

/** Line breaks in a buffer by the reader's rule (for tests and the prefix). */
export function countLineBreakBytes(bytes: Buffer): number {
  return countBreaks(bytes, -1);
}

/** A file as a ByteSource (synchronous reads); `close()` when done. */
export function fileSource(path: string, size: number): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  return {
    size,
    read: (into, position) => readSync(fd, into, 0, Math.min(into.length, size - position), position),
    close: () => closeSync(fd),
  };
}

export interface CsvRange {
  encoding: Encoding;
  dialect: CsvDialect;
  /** The header prefix [0, headerEnd) read before the range, and its line breaks. */
  headerEnd: number;
  headerBreaks: number;
  /** The range [start, end) and the physical line at `start`. */
  start: number;
  end: number;
  line: number;
}

export interface RangeReadInfo {
  /** Rows or malformed records met inside the prefix (there should be none: the prefix is the header). */
  prefixRecords: number;
  /** Invalid UTF-8 was replaced (the encoding was forced): the caller cannot compare notes. */
  replaced: boolean;
}

/** As the whole file's reader (read.ts). */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads the records of one byte range of a CSV file into `sink`, as the whole file's reader would
 * have: the header prefix first (so `sink.header` gets the same header), then the range, with
 * the physical lines of the whole file.
 */
export async function readCsvRange(path: string, range: CsvRange, sink: RawRowSink, info: SourceInfo): Promise<RangeReadInfo> {
  const decoder = new ChunkDecoder(range.encoding);
  async function* text(): AsyncGenerator<string> {
    const parts = [
      createReadStream(path, { start: 0, end: range.headerEnd - 1, highWaterMark: CHUNK_BYTES }),
      createReadStream(path, { start: range.start, end: range.end - 1, highWaterMark: CHUNK_BYTES }),
    ];
    for (const stream of parts) {
      for await (const chunk of stream) {
        const decoded = decoder.write(chunk as Buffer);
        if (decoded.length > 0) yield decoded;
      }
    }
    const tail = decoder.end();
    if (tail.length > 0) yield tail;
  }
  // Rows of the range come numbered from the line after the prefix: shift them to the file's lines.
  const firstLine = range.headerBreaks + 1;
  const shift = range.line - firstLine;
  const out: RangeReadInfo = { prefixRecords: 0, replaced: false };
  const shifted: RawRowSink = {
    header: (columns, source) => sink.header(columns, source),
    addColumns: sink.addColumns?.bind(sink),
    row: (cells, line) => {
      if (line < firstLine) out.prefixRecords++;
      else sink.row(cells, line + shift);
    },
    malformed: (line, column, reason, raw) => {
      if (line < firstLine) out.prefixRecords++;
      else sink.malformed(line + shift, column, reason, raw);
    },
  } as RawRowSink;
  await parseCsvStream(text(), range.dialect, shifted, info);
  out.replaced = decoder.replaced;
  return out;
}
