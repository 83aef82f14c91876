/**
 * Opens one input (a file or stdin), gunzips it, sniffs its dialect and hands the decoded text to
 * the CSV or JSON reader. The only place in `sources` that does I/O on file contents; it never
 * touches `process`: the CLI passes stdin in.
 */

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { resolve } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CxmError, isCxmError } from '../errors.js';
import { parseCsvStream, type CsvDialect } from './csv.js';
import { ChunkDecoder } from './decode.js';
import {
  SAMPLE_BYTES,
  delimiterName,
  firstInvalidUtf8,
  sniffBinary,
  sniffDelimiter,
  sniffEncoding,
  sniffFormat,
  sniffNewline,
  splitExtension,
  utf8IncompleteTail,
} from './sniff.js';
import type { Encoding, RawRowSink, ReadOptions, SourceInfo } from './types.js';

/**
 * Read size for parsing. Measured on 1M rows (53 MB): 256 KiB is as fast as 1 MiB and peaks at
 * ~115 MB RSS instead of ~180 MB; the bytes, the decoded text and papaparse's rows of a chunk are
 * all alive at once. 64 KiB (issue 8, round 3) is faster still: a chunk's text (and the unfinished
 * record + chunk the tokenizer flattens into one string) then fits V8's young generation, where
 * 256K characters went to the large-object space, fresh pages each time (read alone, 1M survey rows:
 * 1.38 -> 1.15 s wall, system time 290-355 -> 145-180 ms).
 */
const CHUNK_BYTES = 64 * 1024;
/** Read size for the whole-file UTF-8 check: one reusable buffer, so bigger is simply fewer reads. */
const CHECK_BYTES = 1024 * 1024;

export interface ReadSourceOptions extends ReadOptions {
  /** The stream `-` stands for. */
  stdin?: NodeJS.ReadableStream;
  /** Directory relative paths are resolved against (default: the process's). `info.file` keeps `path` as given. */
  cwd?: string;
  /**
   * Called when a plain (not gzip) CSV file is about to be tokenized, with its dialect: may return
   * a byte limit, and the reader then stops at that offset (a record boundary: split.ts). The
   * limit is read again before each chunk past it, so it may still be raised (to Infinity)
   * before the reader gets there.
   */
  onCsv?: (info: SourceInfo, dialect: CsvDialect) => ReadLimit | undefined;
}

/** Where to stop reading a file: `limit` may be set or changed while reading, `seen` says how far it got. */
export interface ReadLimit {
  /** Bytes to read at most (Infinity: all); read again before each chunk. */
  limit: number;
  /** Bytes handed to the tokenizer so far. */
  seen: number;
  /** While `ready` is pending, reading pauses at `hold` bytes (the limit is not known yet, but is at least that). */
  hold?: number;
  ready?: Promise<unknown>;
}

/** The bytes of `source` up to `control.limit`, pausing at `control.hold` until `control.ready` (both read again before each chunk). */
async function* limited(source: AsyncIterable<Buffer>, control: ReadLimit): AsyncGenerator<Buffer> {
  for await (let chunk of source) {
    while (chunk.length > 0) {
      if (control.ready !== undefined && control.seen >= (control.hold ?? Infinity)) {
        await control.ready;
        control.ready = undefined;
        continue;
      }
      const stop = Math.min(control.limit, control.ready !== undefined ? (control.hold ?? Infinity) : Infinity);
      const left = stop - control.seen;
      if (left <= 0) return;
      const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
      control.seen += part.length;
      chunk = chunk.subarray(part.length);
      yield part;
    }
  }
}

function formatOffset(n: number): string {
  return n.toLocaleString('en-US');
}

/** A Node error from reading or gunzipping, as the user should see it. */
function unreadable(error: unknown, file: string, stage: 'read' | 'gunzip'): CxmError {
  if (isCxmError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (stage === 'gunzip') {
    if (code === 'Z_BUF_ERROR') {
      return new CxmError('INPUT_UNREADABLE', `${file}: the compressed data ends early (truncated gzip); the rows before the cut were read`, {
        hint: 'the file was probably cut short while downloading or copying; fetch it again (`gzip -t FILE` checks a gzip file)',
        cause: error,
      });
    }
    return new CxmError('INPUT_UNREADABLE', `${file}: the compressed data is corrupt (${detail})`, {
      hint: 'fetch the file again, or decompress it yourself and pass the result (`gzip -t FILE` checks a gzip file)',
      cause: error,
    });
  }
  switch (code) {
    case 'ENOENT':
      return new CxmError('INPUT_UNREADABLE', `${file}: the file does not exist (any more)`, {
        hint: 'check the path; if another program moves or deletes the file while cxm runs, copy it somewhere stable first',
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new CxmError('INPUT_UNREADABLE', `${file}: permission denied`, {
        hint: 'check the file permissions (`ls -l`), or run cxm as a user who may read the file',
        cause: error,
      });
    case 'EISDIR':
      return new CxmError('INPUT_UNREADABLE', `${file}: is a directory, not a file`, {
        hint: 'pass the directory as an input on its own: cxm reads every data file in it',
        cause: error,
      });
    default:
      return new CxmError('INPUT_UNREADABLE', `${file}: cannot be read (${code ? `${code}: ` : ''}${detail})`, {
        hint: 'check that the file is readable and the disk or network share is available',
        cause: error,
      });
  }
}

/** Iterates a byte stream as Buffers, turning its errors into `INPUT_UNREADABLE`. */
async function* guarded(stream: AsyncIterable<Buffer | string>, file: string, stage: 'read' | 'gunzip'): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  } catch (error) {
    throw unreadable(error, file, stage);
  }
}

/** A byte source whose head can be read ahead (for sniffing) and is replayed to the reader. */
class Peekable implements AsyncIterable<Buffer> {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly iterator: AsyncIterator<Buffer>;
  /** The input ended (or failed) while reading ahead. */
  ended = false;
  /**
   * A read error met while reading ahead, thrown once the bytes before it were handed on: a
   * truncated gzip still delivers its rows, then fails, whatever its size.
   */
  failure: unknown = null;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Reads ahead until `bytes` are buffered or the input ends; returns what is buffered. */
  async fill(bytes: number): Promise<Buffer> {
    while (!this.ended && this.headBytes < bytes) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.iterator.next();
      } catch (error) {
        this.failure = error;
        this.ended = true;
        break;
      }
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.head.push(next.value);
        this.headBytes += next.value.length;
      }
    }
    return this.head.length === 1 ? this.head[0]! : Buffer.concat(this.head);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      while (this.head.length > 0) yield this.head.shift()!;
      if (this.failure !== null) throw this.failure;
      if (this.ended) return;
      for (;;) {
        const next = await this.iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // Stopping early (a skipped file) closes the file or stream underneath.
      if (!this.ended) await this.iterator.return?.();
    }
  }

  /** Closes the source without reading it (the input was rejected after sniffing). */
  async close(): Promise<void> {
    if (!this.ended) await this.iterator.return?.();
  }
}

function gunzipped(source: AsyncIterable<Buffer>, file: string): AsyncIterable<Buffer> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  // pipeline destroys both ends when either fails or the reader stops early.
  pipeline(Readable.from(source), gunzip, () => {});
  return guarded(gunzip, file, 'gunzip');
}

async function* decoded(source: AsyncIterable<Buffer>, decoder: ChunkDecoder): AsyncGenerator<string> {
  for await (const chunk of source) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/**
 * Checks the rest of a regular file for UTF-8 validity, from `offset` (where the sniffed sample
 * stopped, at a character boundary). Returns the offset of the first invalid byte, or null.
 * One é written in Windows-1252 at row 900,000 must decide the encoding of the whole file.
 */
async function firstInvalidUtf8InFile(path: string, offset: number, file: string): Promise<{ offset: number; byte: number } | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(error, file, 'read');
  }
  try {
    const buf = Buffer.allocUnsafe(CHECK_BYTES + 4);
    let carry = 0; // bytes of a character cut by the previous read, moved to the front of buf
    let position = offset;
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buf, carry, CHECK_BYTES, position));
      } catch (error) {
        throw unreadable(error, file, 'read');
      }
      const end = carry + n;
      const data = buf.subarray(0, end);
      const tail = n === 0 ? 0 : utf8IncompleteTail(data);
      const body = data.subarray(0, end - tail);
      if (!isUtf8(body)) {
        const at = Math.max(firstInvalidUtf8(body), 0);
        return { offset: position - carry + at, byte: body[at]! };
      }
      if (n === 0) return null;
      position += n;
      buf.copy(buf, 0, end - tail, end);
      carry = tail;
    }
  } finally {
    await handle.close();
  }
}

interface Opened {
  bytes: AsyncIterable<Buffer>;
  /** A regular file: may be read a second time (the whole-file UTF-8 check). */
  regularPath: string | null;
}

async function openInput(path: string, file: string, options: ReadSourceOptions): Promise<Opened> {
  if (path === '-') {
    if (!options.stdin) throw new CxmError('INTERNAL', 'readSource("-") was called without options.stdin');
    return { bytes: guarded(options.stdin as AsyncIterable<Buffer | string>, file, 'read'), regularPath: null };
  }
  const absolute = resolve(options.cwd ?? '', path);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw unreadable(error, file, 'read');
  }
  if (info.isDirectory()) throw unreadable(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), file, 'read');
  const stream = createReadStream(absolute, { highWaterMark: CHUNK_BYTES });
  return { bytes: guarded(stream, file, 'read'), regularPath: info.isFile() ? absolute : null };
}

/**
 * Reads one input into `sink` and says how it was read. `path` is a file path (relative to
 * `options.cwd`, shown as given) or `-` for `options.stdin`.
 *
 * - gzip is recognised by its magic bytes (`.gz` or not) and decompressed on the fly;
 * - the encoding is `options.encoding`, or sniffed: BOMs, UTF-16, then UTF-8 validity over the
 *   whole of a regular file (over the first MiB for stdin and gzip, switching to Windows-1252
 *   later if an invalid byte follows plain ASCII), else Windows-1252;
 * - the format comes from the extension and the first characters (see `sniffFormat`); `.txt` and
 *   stdin are usually CSV; the delimiter is `options.delimiter` or sniffed.
 *
 * - `.xlsx` workbooks (and `.xls` files that are really `.xlsx`) are read by `readWorkbook`
 *   (xlsx.ts): one table per sheet, `header` called again for each sheet with its own `SourceInfo`
 *   (`book.xlsx#Sheet`); `options.sheet` picks one.
 *
 * Throws `CxmError`: `INPUT_UNREADABLE` for I/O errors (the file vanished, permissions, a
 * directory), truncated or corrupt gzip (after the rows before the damage were delivered), old
 * binary `.xls` workbooks (with how to convert them) and damaged workbooks; `INPUT_MALFORMED` for
 * binary content. An empty input calls
 * nothing on the sink and returns with the note `"empty file"`.
 *
 * @example
 * const info = await readSource('exports/nps.csv', sink, {});
 * info.delimiter // ';'
 */
export async function readSource(path: string, sink: RawRowSink, options: ReadSourceOptions = {}): Promise<SourceInfo> {
  const file = path;
  const { ext, gzip: gzipName } = splitExtension(path === '-' ? '' : path);
  if (ext === '.xlsx' || ext === '.xls') {
    // One table per sheet (see xlsx.ts); exceljs is loaded only when a workbook is read.
    const { readWorkbook } = await import('./xlsx.js');
    const workbook = await readWorkbook(path, sink, options);
    if (workbook) return workbook;
    // null: an .xls that is text (a CSV or TSV export named .xls), read below like any text file.
  }

  const opened = await openInput(path, file, options);
  let source = new Peekable(opened.bytes);
  const magic = await source.fill(2);
  const compressed = magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const notes: string[] = [];
  if (compressed) {
    source = new Peekable(gunzipped(source, file));
    notes.push('gzip-compressed');
  } else if (gzipName) {
    notes.push('named .gz but not compressed: read as is');
  }

  const sample = await source.fill(SAMPLE_BYTES);
  const wholeFile = source.ended && source.failure === null;

  let encoding: Encoding;
  let checkedWhole = wholeFile;
  if (options.encoding) {
    encoding = options.encoding;
    notes.push(`encoding ${encoding} (as given)`);
  } else {
    encoding = sniffEncoding(sample, wholeFile);
    let invalid: { offset: number; byte: number } | null = null;
    if (encoding === 'windows-1252') {
      const at = Math.max(firstInvalidUtf8(sample), 0);
      invalid = { offset: at, byte: sample[at]! };
    } else if (encoding === 'utf-8' && !wholeFile && opened.regularPath !== null && !compressed) {
      const from = sample.length - utf8IncompleteTail(sample);
      invalid = await firstInvalidUtf8InFile(opened.regularPath, from, file);
      checkedWhole = true;
      if (invalid !== null) encoding = 'windows-1252';
    }
    if (invalid !== null) {
      const byte = invalid.byte.toString(16).toUpperCase().padStart(2, '0');
      notes.push(`encoding windows-1252 (not valid UTF-8: byte 0x${byte} at offset ${formatOffset(invalid.offset)})`);
    } else if (encoding === 'utf-8') {
      notes.push(checkedWhole ? 'encoding utf-8 (valid over the whole file)' : 'encoding utf-8 (valid over the first MiB)');
    } else {
      notes.push(`encoding ${encoding} (${encoding === 'utf-8-bom' || sample[0] === 0xff || sample[0] === 0xfe ? 'byte-order mark' : 'NUL bytes in every other byte'})`);
    }
  }

  const binary = sniffBinary(sample, encoding);
  if (binary) {
    await source.close();
    throw new CxmError('INPUT_MALFORMED', `${file}: ${binary}`, {
      hint: 'cxm reads CSV, TSV, JSON and NDJSON (optionally .gz); save spreadsheets as CSV first',
    });
  }

  const sampleDecoder = new ChunkDecoder(encoding);
  const sampleText = sampleDecoder.write(sample) + (wholeFile ? sampleDecoder.end() : '');
  const guess = sniffFormat(path, sampleText);
  const info: SourceInfo = {
    file,
    format: guess.format,
    encoding,
    delimiter: null,
    compressed,
    notes,
  };

  if (wholeFile && sampleText.trim() === '') {
    await source.close();
    notes.push('empty file');
    return info;
  }

  notes.push(guess.note);
  // Validated files cannot meet invalid UTF-8 any more; for streams, adapt if it comes late.
  const decoder = new ChunkDecoder(encoding, !options.encoding && !checkedWhole && encoding === 'utf-8');
  let bytes: AsyncIterable<Buffer> = source;
  const text = decoded({ [Symbol.asyncIterator]: () => bytes[Symbol.asyncIterator]() }, decoder);

  if (guess.format === 'json' || guess.format === 'ndjson') {
    // The JSON reader (and stream-json under it) loads when a JSON input is read: a CSV run and its
    // worker threads start without it.
    const { parseJsonStream, parseNdjsonStream } = await import('./json.js');
    await (guess.format === 'json' ? parseJsonStream : parseNdjsonStream)(text, sink, info);
  } else {
    const { newline, crlf } = sniffNewline(sampleText);
    let delimiter = options.delimiter;
    if (delimiter) {
      notes.push(`delimiter ${delimiterName(delimiter)} (as given)`);
    } else {
      const sniffed = sniffDelimiter(sampleText, { partial: !wholeFile, preferred: ext === '.tsv' ? '\t' : ',' });
      delimiter = sniffed.delimiter;
      notes.push(sniffed.note);
    }
    info.delimiter = delimiter;
    notes.push(newline === '\r' ? 'line endings CR (old Mac)' : crlf ? 'line endings CRLF' : 'line endings LF');
    const control = !compressed && opened.regularPath !== null ? options.onCsv?.(info, { delimiter, newline }) : undefined;
    if (control) bytes = limited(source, control);
    await parseCsvStream(text, { delimiter, newline }, sink, info);
  }

  if (decoder.encoding !== encoding) {
    info.encoding = decoder.encoding;
    notes.push(
      `encoding switched to windows-1252 at offset ${formatOffset(decoder.invalidAt ?? 0)}: not valid UTF-8 there, and only ASCII before`,
    );
  } else if (decoder.replaced) {
    notes.push(
      `invalid UTF-8 from offset ${formatOffset(decoder.invalidAt ?? 0)} replaced with U+FFFD (pass the encoding explicitly if it is not UTF-8)`,
    );
  }
  return info;
}
