/**
 * Bytes -> text, chunk by chunk, for the encodings cxm sniffs. Multi-byte characters split across
 * chunks are carried over; a leading byte-order mark is dropped whatever the encoding.
 */

import { isAscii, isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { createRequire } from 'node:module';
import type Iconv from 'iconv-lite';
import { firstInvalidUtf8, utf8IncompleteTail } from './sniff.js';
import type { Encoding } from './types.js';

interface Decoder {
  write(chunk: Buffer): string;
  end(): string;
}

let iconvLib: typeof Iconv | undefined;

/** iconv-lite loads on first use (Windows-1252, UTF-16 BE): UTF-8 input never needs it. */
function iconv(): typeof Iconv {
  return (iconvLib ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv);
}

function iconvDecoder(name: string): Decoder {
  // iconv-lite drops a BOM itself; our own stripping then finds none, which is fine.
  const decoder = iconv().getDecoder(name);
  return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() ?? '' };
}

/**
 * A streaming decoder. For UTF-8 inputs whose validity could not be checked up front (stdin, gzip:
 * only the first MiB was sniffed), `adaptive` lets it switch to Windows-1252 at the first invalid
 * byte, provided everything decoded so far was plain ASCII (and so reads the same in both
 * encodings). Otherwise invalid bytes become U+FFFD, and `replaced` says so.
 */
export class ChunkDecoder {
  /** The encoding in use now; changes from utf-8 to windows-1252 when an adaptive decoder switches. */
  encoding: Encoding;
  /** Byte offset of the first invalid UTF-8 byte, once one was met. */
  invalidAt: number | null = null;
  /** Whether invalid UTF-8 was replaced by U+FFFD (rather than switching encoding). */
  replaced = false;
  private inner: Decoder | null;
  private carry: Buffer | null = null;
  private offset = 0;
  private sawNonAscii = false;
  private atStart = true;

  /**
   * @param adaptive for UTF-8 not validated up front: check each chunk, and switch to Windows-1252
   *   at an invalid byte that follows plain ASCII. Without it, UTF-8 goes straight to Node's decoder.
   */
  constructor(
    encoding: Encoding,
    private readonly adaptive = false,
  ) {
    this.encoding = encoding;
    this.inner = ChunkDecoder.innerFor(encoding, adaptive);
  }

  private static innerFor(encoding: Encoding, adaptive: boolean): Decoder | null {
    switch (encoding) {
      case 'utf-8':
      case 'utf-8-bom':
        // Checked per chunk (null) only when nobody validated the input before.
        return adaptive ? null : (new StringDecoder('utf8') as Decoder);
      case 'windows-1252':
        return iconvDecoder('win1252');
      case 'utf-16le':
        return new StringDecoder('utf16le') as Decoder;
      case 'utf-16be':
        return iconvDecoder('utf16-be');
    }
  }

  write(chunk: Buffer): string {
    const text = this.inner ? this.inner.write(chunk) : this.writeUtf8(chunk);
    return this.stripBom(text);
  }

  end(): string {
    let text: string;
    if (this.inner) {
      text = this.inner.end();
    } else {
      text = this.carry ? this.carry.toString('utf8') : '';
      if (this.carry) this.replaced = true;
      this.carry = null;
    }
    return this.stripBom(text);
  }

  private stripBom(text: string): string {
    if (!this.atStart || text.length === 0) return text;
    this.atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  private writeUtf8(chunk: Buffer): string {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const dataStart = this.offset - (this.carry?.length ?? 0);
    this.offset += chunk.length;
    const cut = data.length - utf8IncompleteTail(data);
    const body = data.subarray(0, cut);
    if (isUtf8(body)) {
      this.carry = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
      if (!this.sawNonAscii && !isAscii(body)) this.sawNonAscii = true;
      return body.toString('utf8');
    }
    const at = Math.max(firstInvalidUtf8(body), 0);
    if (this.invalidAt === null) this.invalidAt = dataStart + at;
    if (this.adaptive && !this.sawNonAscii && isAscii(body.subarray(0, at))) {
      this.encoding = 'windows-1252';
      this.inner = iconvDecoder('win1252');
      this.carry = null;
      return this.inner.write(data);
    }
    this.replaced = true;
    this.carry = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
    return body.toString('utf8');
  }
}
