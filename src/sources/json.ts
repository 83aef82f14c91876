/**
 * JSON and NDJSON -> flat rows, streamed with stream-json's tokenizer (never `JSON.parse` on a
 * whole file). Records are flattened from tokens by a small state machine with explicit stacks, so
 * nesting depth costs heap, not call stack: a 100,000-deep value is just a long string.
 *
 * Untrusted keys (`__proto__`, `constructor`) only ever land in arrays and Maps, never as property
 * names of plain objects.
 */

import { jsonParser, type Token } from 'stream-json/parser.js';
import { CxmError } from '../errors.js';
import type { Cell, RawRowSink, SourceInfo } from './types.js';

/** stream-chain's `none` (end of input / no output), shared through the global symbol registry. */
const NONE = Symbol.for('object-stream.none');

type Tokenizer = (input: string | symbol) => unknown;

function newTokenizer(): Tokenizer {
  // Packed values only: one token per key, string and number instead of start/chunk/end triples.
  return jsonParser({ packValues: true, streamValues: false }) as unknown as Tokenizer;
}

function tokensOf(out: unknown): Token[] {
  if (out === NONE || out === undefined) return [];
  return (out as { values: Token[] }).values;
}

/** Objects nested deeper than this inside a record are kept as one JSON string column. */
const MAX_OBJECT_DEPTH = 32;
/** Objects whose keys make up the header; later keys are announced through `addColumns`. */
const HEADER_RECORDS = 1000;
/** Bound on what waits for the header, should a file start with thousands of bad elements. */
const MAX_PENDING = 10_000;
const MAX_RAW_CHARS = 1000;

function clip(raw: string): string {
  return raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…` : raw;
}

/** Integers beyond 2^53 (long ids) stay strings: as numbers they would silently change. */
function numberCell(text: string): number | string {
  const n = Number(text);
  if (!Number.isSafeInteger(n) && /^-?\d+$/.test(text)) return text;
  return n;
}

function describe(token: Token): string {
  switch (token.name) {
    case 'stringValue':
      return 'a string';
    case 'numberValue':
      return 'a number';
    case 'nullValue':
      return 'null';
    case 'trueValue':
    case 'falseValue':
      return 'a boolean';
    case 'startArray':
      return 'an array';
    default:
      return 'not an object';
  }
}

function scalarText(token: Token): string {
  switch (token.name) {
    case 'stringValue':
      return JSON.stringify(token.value);
    case 'numberValue':
      return token.value;
    case 'nullValue':
      return 'null';
    case 'trueValue':
      return 'true';
    case 'falseValue':
      return 'false';
    default:
      return '';
  }
}

function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Parser (cannot parse input: |has )/, '');
}

/**
 * Rebuilds JSON text from tokens (iteratively), for arrays inside records, objects nested too deep,
 * and the raw text of malformed elements. A root array of scalars also yields them joined with `|`.
 */
class OpaqueJson {
  private parts: string[] = [];
  private length = 0;
  private depth = 0;
  private readonly hasItem: boolean[] = [];
  private afterKey = false;
  private rootArray: boolean | null = null;
  private scalarsOnly = true;
  private scalars: string[] = [];

  constructor(private readonly limit = Infinity) {}

  /** Returns true when the root value is complete. */
  push(t: Token): boolean {
    switch (t.name) {
      case 'startObject':
      case 'startArray':
        if (this.rootArray === null) this.rootArray = t.name === 'startArray';
        else if (this.scalarsOnly) {
          this.scalarsOnly = false;
          this.scalars = [];
        }
        this.separate();
        this.add(t.name === 'startObject' ? '{' : '[');
        this.hasItem[this.depth] = false;
        this.depth++;
        return false;
      case 'endObject':
      case 'endArray':
        this.add(t.name === 'endObject' ? '}' : ']');
        this.depth--;
        return this.depth === 0;
      case 'keyValue':
        this.separate();
        this.add(`${JSON.stringify(t.value)}:`);
        this.afterKey = true;
        return false;
      case 'stringValue':
      case 'numberValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.separate();
        this.add(scalarText(t));
        if (this.scalarsOnly) {
          this.scalars.push(t.name === 'stringValue' || t.name === 'numberValue' ? t.value : t.name === 'nullValue' ? '' : String(t.value));
        }
        return this.depth === 0;
      default:
        return false;
    }
  }

  value(): string {
    if (this.rootArray && this.scalarsOnly) return this.scalars.join('|');
    const text = this.parts.join('');
    return this.length > this.limit ? `${text.slice(0, this.limit)}…` : text;
  }

  private separate(): void {
    if (this.afterKey) {
      this.afterKey = false;
      return;
    }
    if (this.depth > 0) {
      if (this.hasItem[this.depth - 1]) this.add(',');
      else this.hasItem[this.depth - 1] = true;
    }
  }

  private add(s: string): void {
    if (this.length <= this.limit) this.parts.push(s);
    this.length += s.length;
  }
}

interface ObjectFrame {
  prefix: string;
  key: string;
}

function pathOf(frame: ObjectFrame): string {
  return frame.prefix === '' ? frame.key : `${frame.prefix}.${frame.key}`;
}

/**
 * Flattens one record from its tokens (the opening `{` already consumed): nested objects become
 * dotted paths (`via.channel`), arrays of scalars are joined with `|`, other arrays and objects
 * deeper than {@link MAX_OBJECT_DEPTH} are kept as JSON strings.
 */
class RecordBuilder {
  /** Flattened paths and their values, in order (parallel arrays: cheaper than a Map per record). */
  readonly keys: string[] = [];
  readonly values: Cell[] = [];
  private readonly frames: ObjectFrame[] = [{ prefix: '', key: '' }];
  private opaque: OpaqueJson | null = null;
  private opaquePath = '';

  /** The next token belongs to the record's own properties (not to a nested value). */
  get atTop(): boolean {
    return this.opaque === null && this.frames.length === 1;
  }

  /** Returns true once the record's closing `}` is consumed. */
  push(t: Token): boolean {
    if (this.opaque) {
      if (this.opaque.push(t)) {
        this.set(this.opaquePath, this.opaque.value());
        this.opaque = null;
      }
      return false;
    }
    const top = this.frames[this.frames.length - 1]!;
    switch (t.name) {
      case 'keyValue':
        top.key = t.value;
        return false;
      case 'endObject':
        this.frames.pop();
        return this.frames.length === 0;
      case 'startObject':
        if (this.frames.length >= MAX_OBJECT_DEPTH) this.startOpaque(pathOf(top), t);
        else this.frames.push({ prefix: pathOf(top), key: '' });
        return false;
      case 'startArray':
        this.startOpaque(pathOf(top), t);
        return false;
      case 'stringValue':
        this.set(pathOf(top), t.value);
        return false;
      case 'numberValue':
        this.set(pathOf(top), numberCell(t.value));
        return false;
      case 'nullValue':
        this.set(pathOf(top), null);
        return false;
      case 'trueValue':
        this.set(pathOf(top), true);
        return false;
      case 'falseValue':
        this.set(pathOf(top), false);
        return false;
      default:
        return false;
    }
  }

  private set(path: string, value: Cell): void {
    this.keys.push(path);
    this.values.push(value);
  }

  private startOpaque(path: string, t: Token): void {
    this.opaque = new OpaqueJson();
    this.opaque.push(t);
    this.opaquePath = path;
  }
}

type Pending = { record: RecordBuilder; line: number } | { line: number; reason: string; raw: string };

/** Columns and the sink: holds the first records back until the header is known. */
class JsonTable {
  private readonly columns: string[] = [];
  private readonly index = new Map<string, number>();
  private pending: Pending[] | null = [];
  private pendingRecords = 0;
  stopped = false;
  private rows = 0;
  private bad = 0;

  constructor(
    private readonly sink: RawRowSink,
    private readonly info: SourceInfo,
  ) {}

  record(record: RecordBuilder, line: number): void {
    if (this.stopped) return;
    if (this.pending) {
      for (const key of record.keys) {
        if (!this.index.has(key)) {
          this.index.set(key, this.columns.length);
          this.columns.push(key);
        }
      }
      this.pending.push({ record, line });
      this.pendingRecords++;
      if (this.pendingRecords >= HEADER_RECORDS || this.pending.length >= MAX_PENDING) this.flush();
      return;
    }
    this.emit(record, line);
  }

  malformed(line: number, reason: string, raw: string): void {
    if (this.stopped) return;
    if (this.pending) {
      this.pending.push({ line, reason, raw });
      if (this.pending.length >= MAX_PENDING) this.flush();
      return;
    }
    this.bad++;
    this.sink.malformed(line, null, reason, raw);
  }

  finish(): void {
    if (this.pending && this.pending.length > 0) this.flush();
    if (this.stopped) return;
    if (this.rows === 0 && this.bad === 0 && !this.info.notes.includes('empty file')) this.info.notes.push('no records');
  }

  private flush(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    if (this.pendingRecords === 0 && pending.length > 0) {
      // Nothing but malformed elements ([1, 2, 3]): say so, since the table will be skipped as
      // having no columns and those reasons would otherwise be lost.
      const first = pending[0] as { line: number; reason?: string };
      this.info.notes.push(`no objects to read: ${pending.length} element${pending.length === 1 ? '' : 's'} not an object (first, line ${first.line}: ${first.reason ?? 'not an object'})`);
    }
    if (this.sink.header([...this.columns], this.info) === 'skip') {
      this.stopped = true;
      return;
    }
    for (const p of pending) {
      if ('record' in p) this.emit(p.record, p.line);
      else {
        this.bad++;
        this.sink.malformed(p.line, null, p.reason, p.raw);
      }
    }
  }

  private emit(record: RecordBuilder, line: number): void {
    const cells: Cell[] = new Array<Cell>(this.columns.length).fill(null);
    let added: string[] | null = null;
    const { keys, values } = record;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const value = values[k] as Cell;
      let i = this.index.get(key);
      if (i === undefined) {
        i = this.columns.length;
        this.columns.push(key);
        this.index.set(key, i);
        (added ??= []).push(key);
        cells.push(null);
      }
      cells[i] = value;
    }
    if (added) this.sink.addColumns?.(added);
    this.rows++;
    this.sink.row(cells, line);
  }
}

type DocState = 'top' | 'records' | 'record' | 'element' | 'wrapper' | 'peek' | 'rest' | 'done';

const START_ARRAY: Token = { name: 'startArray' };

/**
 * The shape of a JSON document: an array of records, or an object that either wraps the records
 * (its first property holding an array of objects) or is itself the one record.
 */
class JsonDocument {
  state: DocState = 'top';
  private builder: RecordBuilder | null = null;
  private candidate: RecordBuilder | null = null;
  private candidateLine = 0;
  private capture: OpaqueJson | null = null;
  recordLine = 0;
  private elementIndex = 0;
  private elementLine = 0;
  private inWrapper = false;
  private lastKey = '';
  private emptyArrayKey: string | null = null;
  private restDepth = 0;

  constructor(
    private readonly table: JsonTable,
    private readonly info: SourceInfo,
  ) {}

  get inRecord(): boolean {
    return this.state === 'record' || this.state === 'wrapper' || this.state === 'peek';
  }

  get shape(): string {
    return this.inWrapper ? 'object' : 'array';
  }

  push(t: Token, line: number): void {
    if (this.state === 'record') {
      // The hot path, first: tokens inside a record.
      if (this.builder!.push(t)) {
        this.table.record(this.builder!, this.recordLine);
        this.builder = null;
        this.state = 'records';
      }
      return;
    }
    switch (this.state) {
      case 'top':
        if (t.name === 'startArray') this.state = 'records';
        else if (t.name === 'startObject') {
          this.candidate = new RecordBuilder();
          this.candidateLine = line;
          this.recordLine = line;
          this.inWrapper = true;
          this.state = 'wrapper';
        } else {
          throw new CxmError(
            'INPUT_MALFORMED',
            `${this.info.file}:${line}: the JSON is ${describe(t)}, not records: expected an array of objects, an object holding one, or one object per line`,
            { hint: 'export the data as a JSON array of objects, NDJSON, or CSV' },
          );
        }
        return;
      case 'records':
        if (t.name === 'startObject') {
          this.elementIndex++;
          this.builder = new RecordBuilder();
          this.recordLine = line;
          this.state = 'record';
        } else if (t.name === 'endArray') {
          if (this.inWrapper) {
            this.state = 'rest';
            this.restDepth = 1;
          } else this.state = 'done';
        } else if (t.name === 'startArray') {
          this.elementIndex++;
          this.elementLine = line;
          this.capture = new OpaqueJson(MAX_RAW_CHARS);
          this.capture.push(t);
          this.state = 'element';
        } else {
          this.elementIndex++;
          this.table.malformed(line, `array element ${this.elementIndex} is ${describe(t)}, not an object`, scalarText(t));
        }
        return;
      case 'element':
        if (this.capture!.push(t)) {
          this.table.malformed(this.elementLine, `array element ${this.elementIndex} is an array, not an object`, this.capture!.value());
          this.capture = null;
          this.state = 'records';
        }
        return;
      case 'wrapper': {
        const candidate = this.candidate!;
        if (candidate.atTop) {
          if (t.name === 'keyValue') this.lastKey = t.value;
          else if (t.name === 'startArray') {
            this.state = 'peek';
            return;
          }
        }
        if (candidate.push(t)) this.finishWrapper();
        return;
      }
      case 'peek':
        if (t.name === 'startObject') {
          // The first property holding an array of objects: its elements are the records.
          this.info.notes.push(`records from property "${this.lastKey}"`);
          this.candidate = null;
          this.elementIndex = 1;
          this.builder = new RecordBuilder();
          this.recordLine = line;
          this.state = 'record';
        } else {
          if (t.name === 'endArray' && this.emptyArrayKey === null) this.emptyArrayKey = this.lastKey;
          this.candidate!.push(START_ARRAY);
          this.candidate!.push(t);
          this.state = 'wrapper';
        }
        return;
      case 'rest':
        if (t.name === 'startObject' || t.name === 'startArray') this.restDepth++;
        else if (t.name === 'endObject' || t.name === 'endArray') {
          this.restDepth--;
          if (this.restDepth === 0) this.state = 'done';
        }
        return;
      case 'done':
        return;
    }
  }

  private finishWrapper(): void {
    this.state = 'done';
    if (this.emptyArrayKey !== null) {
      // `{"tickets": [], "count": 0}` is an empty page of an export, not one record.
      this.info.notes.push(`property "${this.emptyArrayKey}" holds an empty list: no records`);
    } else {
      this.info.notes.push('a single object: read as one record');
      this.table.record(this.candidate!, this.candidateLine);
    }
    this.candidate = null;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Reads a JSON document into `sink`: an array of objects; an object wrapping them in its first
 * property that holds an array of objects (`{"tickets": [...], "next_page": null}`); or a single
 * object, read as one record. Each record is flattened (see {@link RecordBuilder}); values keep
 * their JSON types. The header is the keys of the first 1,000 records in first-seen order; keys seen
 * later reach the sink through `addColumns` just before the row that brings them.
 *
 * Lines are physical: a record's line is the line of its opening `{` (for minified JSON that is
 * line 1 for all). A non-object array element is reported through `malformed`. Invalid JSON stops
 * the reading: the records before it are delivered and one `malformed` call names the line, the
 * record lost with it and how many lines were left unread; text after the end of the top-level
 * value is reported the same way. A top-level scalar throws `CxmError('INPUT_MALFORMED')`.
 */
export async function parseJsonStream(chunks: AsyncIterable<string>, sink: RawRowSink, info: SourceInfo): Promise<void> {
  const table = new JsonTable(sink, info);
  const doc = new JsonDocument(table, info);
  const tokenizer = newTokenizer();
  let line = 1;
  let sawText = false;
  /** The current line's text from earlier chunks (its last part): context for a syntax error. */
  let carried = '';
  /** Where the current line starts in the current chunk (0 when it started in an earlier one). */
  let lineStart = 0;
  /** At a failure: the current line up to the failing piece. */
  let before = '';
  /** After a failure: the failing piece and the rest of its line. */
  let after = '';
  let failure: { line: number; reason: string } | null = null;
  let lineDone = false;
  let unread = 0;
  let endsWithNewline = true;

  const fail = (error: unknown, chunk: string, from: number, piece: string): void => {
    const lost = doc.inRecord ? doc.recordLine : piece.includes('{') ? line : null;
    // Text after the end of the document is shown alone; a syntax error with what led to it.
    before = doc.state === 'done' ? '' : carried + chunk.slice(Math.max(lineStart, from - MAX_RAW_CHARS), from);
    const reason =
      doc.state === 'done'
        ? `unexpected text after the end of the JSON ${doc.shape}`
        : `invalid JSON (${cleanMessage(error)})${lost !== null ? `; the record starting on line ${lost} is lost` : ''}`;
    failure = { line, reason };
  };

  // What follows a failure: finish the failing line for the raw text, count the lines left.
  const skip = (text: string): void => {
    if (lineDone) {
      unread += countNewlines(text);
      return;
    }
    const nl = text.indexOf('\n');
    if (after.length <= MAX_RAW_CHARS) after += nl === -1 ? text : text.slice(0, nl);
    if (nl === -1) return;
    lineDone = true;
    unread += countNewlines(text.slice(nl + 1));
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    endsWithNewline = chunk.charCodeAt(chunk.length - 1) === 10;
    if (failure) {
      skip(chunk);
      continue;
    }
    if (!sawText && chunk.trim() !== '') sawText = true;
    lineStart = 0;
    // Pieces end at each newline, `}` and `]`: every token comes out tagged with its line, and a
    // syntax error (which loses the tokens of its whole piece) never loses a completed record.
    let from = 0;
    let nl = chunk.indexOf('\n');
    let brace = chunk.indexOf('}');
    let bracket = chunk.indexOf(']');
    while (from < chunk.length) {
      let cut = nl;
      if (brace !== -1 && (cut === -1 || brace < cut)) cut = brace;
      if (bracket !== -1 && (cut === -1 || bracket < cut)) cut = bracket;
      const to = cut === -1 ? chunk.length : cut + 1;
      const piece = chunk.slice(from, to);
      let out: unknown;
      try {
        out = tokenizer(piece);
      } catch (error) {
        fail(error, chunk, from, piece);
        skip(chunk.slice(from));
        break;
      }
      const tokens = tokensOf(out);
      for (let i = 0; i < tokens.length; i++) doc.push(tokens[i]!, line);
      if (table.stopped) return; // a skipped header: the rest of this piece's tokens went nowhere
      if (cut !== -1 && cut === nl) {
        line++;
        lineStart = to;
        carried = '';
      }
      from = to;
      if (nl !== -1 && nl < from) nl = chunk.indexOf('\n', from);
      if (brace !== -1 && brace < from) brace = chunk.indexOf('}', from);
      if (bracket !== -1 && bracket < from) bracket = chunk.indexOf(']', from);
    }
    if (!failure && lineStart < chunk.length) carried = (carried + chunk.slice(lineStart)).slice(-MAX_RAW_CHARS);
  }

  if (!failure && sawText) {
    try {
      for (const t of tokensOf(tokenizer(NONE))) {
        doc.push(t, line);
        if (table.stopped) return;
      }
    } catch (error) {
      const incomplete = doc.inRecord ? `; the record starting on line ${doc.recordLine} is incomplete` : '';
      failure = { line, reason: `the JSON ends early (${cleanMessage(error)}): the file looks truncated${incomplete}` };
      before = carried;
    }
  }
  if (failure !== null) {
    const f: { line: number; reason: string } = failure;
    if (doc.state === 'top') {
      // Not even the start of a JSON value: the file is something else, not a JSON with a bad record.
      throw new CxmError('INPUT_MALFORMED', `${info.file}:${f.line}: not JSON: ${f.reason.replace(/^invalid JSON \((.*?)\).*$/, '$1')}`, {
        hint: 'check what the file holds; cxm reads a JSON array of objects, NDJSON, or CSV (named .csv)',
      });
    }
    // `unread` counted the newlines after the failing line; an unterminated last line adds one.
    const left = lineDone ? unread + (endsWithNewline ? 0 : 1) : 0;
    const reason = left > 0 ? `${f.reason}; reading stopped here: the remaining ${left.toLocaleString('en-US')} lines were not read` : f.reason;
    const raw = `${before.slice(-MAX_RAW_CHARS / 2)}${after.slice(0, MAX_RAW_CHARS / 2)}`.trim();
    table.malformed(f.line, reason, clip(raw));
  }
  if (!sawText) info.notes.push('empty file');
  table.finish();
}

/**
 * Reads NDJSON (one JSON object per line) into `sink`; blank lines are skipped, and a line that is
 * not valid JSON, or not an object, is reported through `malformed` with its physical line while
 * reading goes on. Records are flattened and announced as in {@link parseJsonStream}.
 */
export async function parseNdjsonStream(chunks: AsyncIterable<string>, sink: RawRowSink, info: SourceInfo): Promise<void> {
  const table = new JsonTable(sink, info);
  let line = 0;
  let carry: string[] = [];
  let sawText = false;

  const handle = (raw: string): void => {
    line++;
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    sawText = true;
    const tokenizer = newTokenizer();
    let tokens: Token[];
    try {
      tokens = tokensOf(tokenizer(text));
      const rest = tokensOf(tokenizer(NONE));
      if (rest.length > 0) tokens = tokens.concat(rest);
    } catch (error) {
      table.malformed(line, `invalid JSON (${cleanMessage(error)})`, clip(text));
      return;
    }
    const first = tokens[0]!;
    if (first.name !== 'startObject') {
      table.malformed(line, `line holds ${describe(first)}, not an object`, clip(text));
      return;
    }
    const builder = new RecordBuilder();
    for (let i = 1; i < tokens.length; i++) builder.push(tokens[i]!);
    table.record(builder, line);
  };

  for await (const chunk of chunks) {
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      const piece = chunk.slice(from, nl);
      if (carry.length > 0) {
        carry.push(piece);
        handle(carry.join(''));
        carry = [];
      } else handle(piece);
      from = nl + 1;
      if (table.stopped) return;
    }
    if (from < chunk.length) carry.push(chunk.slice(from));
  }
  if (carry.length > 0) handle(carry.join(''));
  if (table.stopped) return;
  if (!sawText) info.notes.push('empty file');
  table.finish();
}
