/**
 * A fast "surely valid" test compiled from a record kind's zod schema, so that the millions of rows
 * that pass need not go through `safeParse` (which builds an output object and runs every check
 * through zod's machinery: about 10% of a 1M-row run, plus the garbage it leaves).
 *
 * zod stays the source of truth: the checker is derived from the schema's own definition (types,
 * enum values, length and range bounds, and the schema's own refinement functions, called as they
 * are), it only ever answers "valid for sure" or "ask zod", and every row it does not vouch for goes
 * through `schema.safeParse`, whose issue is what the reject says. A construct it does not know makes
 * that field (or, for an object with a catch-all, every row) ask zod. `record-check.test.ts` checks
 * against zod itself, on generated values, that it never vouches for a row zod would reject.
 */
import type { z } from 'zod';

type Check = (value: unknown) => boolean;

/** zod 4 keeps every schema's and check's definition at `_zod.def`. */
interface Def {
  type?: string;
  check?: string;
  [key: string]: unknown;
}

function defOf(node: unknown): Def | null {
  const def = (node as { _zod?: { def?: unknown } } | null)?._zod?.def;
  return typeof def === 'object' && def !== null ? (def as Def) : null;
}

/** What zod does for this one field: exact, and the slow path of every compiled check. */
function viaZod(schema: z.ZodType): Check {
  return (value) => schema.safeParse(value).success;
}

/** What the checks of a number or string schema allow, as a few constants (see {@link compileChecks}). */
interface Bounds {
  /** `.int()`: a safe integer. */
  int: boolean;
  /** `v >= lo` (or `v > lo` when not `loInclusive`); -Infinity when unbounded. */
  lo: number;
  loInclusive: boolean;
  hi: number;
  hiInclusive: boolean;
  /** Strings: at least this many UTF-16 units (twice the code points zod asks for); 0 when unbounded. */
  minUnits: number;
  /** Strings: at most this many UTF-16 units; Infinity when unbounded. */
  maxUnits: number;
  /** The schema's own `.refine()` functions, called as zod calls them. */
  refinements: ((value: unknown) => unknown)[];
}

/**
 * The checks attached to a number or string schema (`.int()`, `.min()`, `.refine()`…) folded into
 * bounds, or null when one of them is not understood. Several bounds of one sort keep the tightest
 * (`.min(0).min(1)` is `.min(1)`), which is what all of them together allow.
 */
function compileChecks(checks: unknown, type: 'number' | 'string'): Bounds | null {
  const bounds: Bounds = { int: false, lo: -Infinity, loInclusive: true, hi: Infinity, hiInclusive: true, minUnits: 0, maxUnits: Infinity, refinements: [] };
  if (checks === undefined) return bounds;
  if (!Array.isArray(checks)) return null;
  for (const check of checks) {
    const def = defOf(check);
    if (!def) return null;
    switch (def.check) {
      case 'number_format':
        if (type !== 'number' || def.format !== 'safeint') return null;
        bounds.int = true;
        break;
      case 'greater_than': {
        if (type !== 'number' || typeof def.value !== 'number') return null;
        const inclusive = !!def.inclusive;
        // The larger bound is the tighter one; on a tie, the exclusive one.
        if (def.value > bounds.lo || (def.value === bounds.lo && !inclusive)) {
          bounds.lo = def.value;
          bounds.loInclusive = inclusive;
        }
        break;
      }
      case 'less_than': {
        if (type !== 'number' || typeof def.value !== 'number') return null;
        const inclusive = !!def.inclusive;
        if (def.value < bounds.hi || (def.value === bounds.hi && !inclusive)) {
          bounds.hi = def.value;
          bounds.hiInclusive = inclusive;
        }
        break;
      }
      case 'min_length': {
        if (type !== 'string' || typeof def.minimum !== 'number') return null;
        // zod counts code points; a string of at least twice as many UTF-16 units has enough of
        // them whatever its surrogate pairs. Shorter ones (a one-character id) ask zod.
        bounds.minUnits = Math.max(bounds.minUnits, 2 * def.minimum);
        break;
      }
      case 'max_length': {
        if (type !== 'string' || typeof def.maximum !== 'number') return null;
        // Code points never outnumber UTF-16 units.
        bounds.maxUnits = Math.min(bounds.maxUnits, def.maximum);
        break;
      }
      case 'custom': {
        // `.refine(fn)`: the schema's own predicate.
        if (typeof def.fn !== 'function') return null;
        bounds.refinements.push(def.fn as (value: unknown) => unknown);
        break;
      }
      default:
        return null;
    }
  }
  return bounds;
}

/** Whether a refinement's result passes as zod reads it: truthy, and not a promise (zod would throw). */
function passes(r: unknown): boolean {
  return r === true || (!!r && typeof (r as { then?: unknown }).then !== 'function');
}

/** The refinements of `bounds` as one predicate (each called once, in the schema's order). */
function refinementsOf(bounds: Bounds): Check | null {
  const fns = bounds.refinements;
  if (fns.length === 0) return null;
  if (fns.length === 1) {
    const fn = fns[0]!;
    return (v) => passes(fn(v));
  }
  return (v) => {
    for (let i = 0; i < fns.length; i++) if (!passes(fns[i]!(v))) return false;
    return true;
  };
}

/**
 * A number field's predicate: one closure over the folded bounds (rather than a loop over one
 * closure per check, behind a closure for `.optional()`), `undefined` passing when the field is
 * optional. Anything it does not vouch for asks zod.
 */
function numberCheck(bounds: Bounds, optional: boolean, slow: Check): Check {
  const { int, lo, loInclusive, hi, hiInclusive } = bounds;
  const refined = refinementsOf(bounds);
  // z.number() takes finite numbers only; NaN fails every comparison below.
  const inBounds = (v: number): boolean =>
    (loInclusive ? v >= lo : v > lo) && (hiInclusive ? v <= hi : v < hi) && (int ? Number.isSafeInteger(v) : Number.isFinite(v));
  const plain = refined === null ? inBounds : (v: number): boolean => inBounds(v) && refined(v);
  return optional ? (v) => v === undefined || (typeof v === 'number' && plain(v)) || slow(v) : (v) => (typeof v === 'number' && plain(v)) || slow(v);
}

/** A string field's predicate, as {@link numberCheck}. */
function stringCheck(bounds: Bounds, optional: boolean, slow: Check): Check {
  const { minUnits, maxUnits } = bounds;
  const refined = refinementsOf(bounds);
  if (refined === null && minUnits === 0 && maxUnits === Infinity) {
    return optional ? (v) => v === undefined || typeof v === 'string' || slow(v) : (v) => typeof v === 'string' || slow(v);
  }
  const inBounds = (v: string): boolean => v.length >= minUnits && v.length <= maxUnits;
  const plain = refined === null ? inBounds : (v: string): boolean => inBounds(v) && refined(v);
  return optional ? (v) => v === undefined || (typeof v === 'string' && plain(v)) || slow(v) : (v) => (typeof v === 'string' && plain(v)) || slow(v);
}

/** One field's predicate: "surely valid" (true) or "ask zod" (false). `optional`: undefined passes. */
function compileField(schema: z.ZodType, optional = false): Check {
  const def = defOf(schema);
  const slow = viaZod(schema);
  const orUndefined = (check: Check): Check => (optional ? (v) => v === undefined || check(v) : check);
  if (!def || def.coerce) return orUndefined(slow);
  switch (def.type) {
    case 'optional':
      return compileField(def.innerType as z.ZodType, true);
    case 'number': {
      const bounds = compileChecks(def.checks, 'number');
      return bounds ? numberCheck(bounds, optional, slow) : orUndefined(slow);
    }
    case 'string': {
      const bounds = compileChecks(def.checks, 'string');
      return bounds ? stringCheck(bounds, optional, slow) : orUndefined(slow);
    }
    case 'boolean':
      if (def.checks !== undefined && (def.checks as unknown[]).length > 0) return orUndefined(slow);
      return optional ? (v) => v === undefined || typeof v === 'boolean' : (v) => typeof v === 'boolean';
    case 'enum': {
      if (typeof def.entries !== 'object' || def.entries === null) return orUndefined(slow);
      const values = new Set<unknown>(Object.values(def.entries as Record<string, unknown>));
      return orUndefined((v) => values.has(v) || slow(v));
    }
    case 'custom': {
      // z.custom(fn): the schema is its own check.
      if (typeof def.fn !== 'function' || (def.checks !== undefined && (def.checks as unknown[]).length > 0)) return orUndefined(slow);
      const fn = def.fn as (value: unknown) => unknown;
      return orUndefined((v) => passes(fn(v)) || slow(v));
    }
    default:
      return orUndefined(slow);
  }
}

/**
 * One "surely valid" predicate per field of `schema` (a plain `z.object`), or null when the object
 * itself has checks or a catch-all (then only zod can tell). A record whose every field passes its
 * predicate passes the schema: a plain z.object checks each field on its own and strips keys it
 * does not know. What the normalizer uses, one column at a time, as it sets the fields.
 */
export function compileFieldChecks(schema: z.ZodType): Map<string, (value: unknown) => boolean> | null {
  const def = defOf(schema);
  const shape = def?.type === 'object' ? (def.shape as Record<string, z.ZodType> | undefined) : undefined;
  const objectChecks = def?.checks as unknown[] | undefined;
  if (!shape || def?.catchall !== undefined || (objectChecks !== undefined && objectChecks.length > 0)) return null;
  return new Map(Object.keys(shape).map((field) => [field, compileField(shape[field]!)]));
}

/**
 * Compiles `schema` (a `z.object` of a record kind) into `(record) => boolean`: true only when
 * `schema.safeParse(record)` would succeed; false means "run zod to find out and to get the issue".
 * Unknown keys are stripped by a plain z.object, so they never fail; an object with a catch-all
 * (strict or loose) is not compiled and always asks zod.
 *
 * @example
 * const check = compileRecordCheck(schema);
 * if (!check(record)) { const r = schema.safeParse(record); if (!r.success) reject(r.error.issues[0]); }
 */
export function compileRecordCheck(schema: z.ZodType): (record: Record<string, unknown>) => boolean {
  const checks = compileFieldChecks(schema);
  if (!checks) return () => false;
  const fields = [...checks.keys()];
  const predicates = [...checks.values()];
  return (record) => {
    for (let i = 0; i < fields.length; i++) if (!predicates[i]!(record[fields[i]!])) return false;
    return true;
  };
}
