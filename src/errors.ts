/**
 * The one error class cxm throws on purpose. Every error the user sees has a code from a closed
 * list, a place (file, line, column, field) when it concerns input, and a next step (`hint`).
 * `cli/main.ts` maps `exitCode` to the process exit status; anything else that escapes is a bug
 * (exit 4).
 */

/** Exit codes, as fixed in DESIGN.md. */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  input: 3,
  internal: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CODE_EXIT = {
  // bad usage or configuration: exit 2
  USAGE: EXIT.usage,
  INVALID_OPTION: EXIT.usage,
  INVALID_CONFIG: EXIT.usage,
  INVALID_EXPRESSION: EXIT.usage,
  AMBIGUOUS_KIND: EXIT.usage,
  AMBIGUOUS_DATE_ORDER: EXIT.usage,
  MIXED_SCALES: EXIT.usage,
  UNKNOWN_METRIC: EXIT.usage,
  // input could not be read, or too much of it was rejected: exit 3
  INPUT_NOT_FOUND: EXIT.input,
  INPUT_UNREADABLE: EXIT.input,
  INPUT_MALFORMED: EXIT.input,
  NO_INPUT_DATA: EXIT.input,
  TOO_MANY_REJECTS: EXIT.input,
  OUTPUT_UNWRITABLE: EXIT.input,
  // a KPI check failed: exit 1
  CHECK_FAILED: EXIT.checkFailed,
  // a bug: exit 4
  INTERNAL: EXIT.internal,
} as const satisfies Record<string, ExitCode>;

export type CxmErrorCode = keyof typeof CODE_EXIT;

/** Where in the input an error happened. Lines are 1-based physical lines (the header is line 1). */
export interface Where {
  file?: string;
  line?: number;
  column?: string | number;
  field?: string;
}

export class CxmError extends Error {
  readonly code: CxmErrorCode;
  readonly where: Where;
  readonly hint: string | undefined;

  constructor(code: CxmErrorCode, message: string, options: { where?: Where; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CxmError';
    this.code = code;
    this.where = options.where ?? {};
    this.hint = options.hint;
  }

  get exitCode(): ExitCode {
    return CODE_EXIT[this.code];
  }
}

/** `exports/nps.csv:14: column "Puntuación": ` — the prefix every located message starts with. */
export function formatWhere(where: Where): string {
  let out = '';
  if (where.file !== undefined) out += where.file;
  if (where.line !== undefined) out += `${out ? ':' : 'line '}${where.line}`;
  if (out) out += ': ';
  if (where.column !== undefined) {
    out += typeof where.column === 'number' ? `column ${where.column}: ` : `column "${where.column}": `;
  }
  return out;
}

export function isCxmError(error: unknown): error is CxmError {
  return error instanceof CxmError;
}
