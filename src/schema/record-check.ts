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

/**
 * The checks attached to a number or string schema (`.int()`, `.min()`, `.refine()`…) as one
 * predicate, or null when one of them is not understood.
 */
function compileChecks(checks: unknown, type: 'number' | 'string'): Check | null {
  if (checks === undefined) return () => true;
  if (!Array.isArray(checks)) return null;
  const parts: Check[] = [];
  for (const check of checks) {
    const def = defOf(check);
    if (!def) return null;
    switch (def.check) {
      case 'number_format':
        if (type !== 'number' || def.format !== 'safeint') return null;
        parts.push((v) => Number.isSafeInteger(v));
        break;
      case 'greater_than': {
        if (type !== 'number' || typeof def.value !== 'number') return null;
        const bound = def.value;
        parts.push(def.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound);
        break;
      }
      case 'less_than': {
        if (type !== 'number' || typeof def.value !== 'number') return null;
        const bound = def.value;
        parts.push(def.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound);
        break;
      }
      case 'min_length': {
        if (type !== 'string' || typeof def.minimum !== 'number') return null;
        // zod counts code points; a string of at least twice as many UTF-16 units has enough of
        // them whatever its surrogate pairs. Shorter ones (a one-character id) ask zod.
        const min = def.minimum;
        parts.push((v) => (v as string).length >= 2 * min);
        break;
      }
      case 'max_length': {
        if (type !== 'string' || typeof def.maximum !== 'number') return null;
        // Code points never outnumber UTF-16 units.
        const max = def.maximum;
        parts.push((v) => (v as string).length <= max);
        break;
      }
      case 'custom': {
        // `.refine(fn)`: the schema's own predicate, called as zod calls it (a truthy result passes).
        if (typeof def.fn !== 'function') return null;
        const fn = def.fn as (value: unknown) => unknown;
        parts.push((v) => {
          const r = fn(v);
          return !!r && typeof (r as { then?: unknown }).then !== 'function';
        });
        break;
      }
      default:
        return null;
    }
  }
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  return (v) => {
    for (let i = 0; i < parts.length; i++) if (!parts[i]!(v)) return false;
    return true;
  };
}

/** One field's predicate: "surely valid" (true) or "ask zod" (false). */
function compileField(schema: z.ZodType): Check {
  const def = defOf(schema);
  const slow = viaZod(schema);
  if (!def || def.coerce) return slow;
  switch (def.type) {
    case 'optional': {
      const inner = compileField(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'number': {
      const checks = compileChecks(def.checks, 'number');
      if (!checks) return slow;
      // z.number() takes finite numbers only.
      return (v) => ((typeof v === 'number' && Number.isFinite(v) && checks(v)) || slow(v));
    }
    case 'string': {
      const checks = compileChecks(def.checks, 'string');
      if (!checks) return slow;
      return (v) => (typeof v === 'string' && checks(v)) || slow(v);
    }
    case 'boolean':
      if (def.checks !== undefined && (def.checks as unknown[]).length > 0) return slow;
      return (v) => typeof v === 'boolean';
    case 'enum': {
      if (typeof def.entries !== 'object' || def.entries === null) return slow;
      const values = new Set<unknown>(Object.values(def.entries as Record<string, unknown>));
      return (v) => values.has(v) || slow(v);
    }
    case 'custom': {
      // z.custom(fn): the schema is its own check.
      if (typeof def.fn !== 'function' || (def.checks !== undefined && (def.checks as unknown[]).length > 0)) return slow;
      const fn = def.fn as (value: unknown) => unknown;
      return (v) => {
        const r = fn(v);
        return (!!r && typeof (r as { then?: unknown }).then !== 'function') || slow(v);
      };
    }
    default:
      return slow;
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
