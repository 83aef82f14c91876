import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordSchema } from './kinds.js';
import { compileFieldChecks, compileRecordCheck } from './record-check.js';
import { RECORD_KINDS } from './records.js';
import { SCALES } from './test-support.js';

const JAN_2025 = Date.UTC(2025, 0, 1);

/** Values that sit on and around every bound the kinds' schemas use. */
const POOL: unknown[] = [
  undefined,
  null,
  0,
  -0,
  1,
  -1,
  4,
  5,
  5.5,
  6,
  7,
  8,
  10,
  10.5,
  11,
  1e9,
  1e9 + 1,
  2 ** 53,
  NaN,
  Infinity,
  -Infinity,
  JAN_2025,
  Date.UTC(1899, 11, 31),
  Date.UTC(1900, 0, 1),
  Date.UTC(2200, 0, 1),
  Date.UTC(2199, 11, 31),
  '',
  'a',
  'ab',
  '\u{1F600}',
  'x'.repeat(512),
  'x'.repeat(513),
  '\u{1F600}'.repeat(300),
  'relational',
  'transactional',
  'invited',
  'answered',
  'survey',
  'email',
  '5',
  true,
  false,
  {},
  Object.create(null),
  [],
];

/** Keys every record carries, plus the fields of every kind, plus one no schema knows. */
function keysOf(schema: z.ZodType): string[] {
  return [...Object.keys((schema as z.ZodObject).shape), 'unknownField'];
}

function validFor(schema: z.ZodType, key: string): unknown[] {
  const field = (schema as z.ZodObject).shape[key] as z.ZodType | undefined;
  if (!field) return POOL;
  return POOL.filter((v) => field.safeParse(v).success);
}

describe('compileRecordCheck', () => {
  for (const kind of RECORD_KINDS) {
    const schema = recordSchema(kind, SCALES);
    const check = compileRecordCheck(schema);
    const keys = keysOf(schema);

    // A valid record with one field set to any value of the pool: each field's checks are what decide.
    const valid = keys.map((key) => validFor(schema, key).filter((v) => typeof v !== 'string' || v.length >= 2));
    const recordOf = (values: unknown[]) => ({ ...Object.fromEntries(keys.map((k, i) => [k, values[i]])), kind, input: 0, line: 2, attrs: Object.create(null) });

    it(`${kind}: never vouches for a record zod rejects`, () => {
      fc.assert(
        fc.property(fc.tuple(...valid.map((c) => fc.constantFrom(...c))), fc.constantFrom(...keys), fc.constantFrom(...POOL), (values, key, value) => {
          const record: Record<string, unknown> = { ...recordOf(values), [key]: value };
          if (check(record)) expect(schema.safeParse(record).success).toBe(true);
        }),
        { numRuns: 3000 },
      );
      // And every value in every field, once, for certain.
      for (const key of keys) {
        for (const value of POOL) {
          const record: Record<string, unknown> = { ...recordOf(valid.map((c) => c[0])), [key]: value };
          if (check(record)) expect(schema.safeParse(record).success, `${key} = ${typeof value === 'object' && value !== null ? 'an object' : String(value)}`).toBe(true);
        }
      }
    });

    it(`${kind}: vouches for records of valid values of two or more characters (the fast path is taken)`, () => {
      fc.assert(
        fc.property(fc.tuple(...valid.map((c) => fc.constantFrom(...c))), (values) => {
          const record = recordOf(values);
          expect(schema.safeParse(record).success).toBe(true);
          expect(check(record)).toBe(true);
        }),
        { numRuns: 500 },
      );
    });
  }

  const survey = compileRecordCheck(recordSchema('survey', SCALES));
  const base = { kind: 'survey', input: 0, line: 2, attrs: Object.create(null) };

  it('answers case by case as the survey schema does', () => {
    expect(survey({ ...base, nps: 10, csat: 5, id: 'R1', submittedAt: JAN_2025 })).toBe(true);
    expect(survey({ ...base, nps: 11 })).toBe(false); // NPS is 0-10
    expect(survey({ ...base, nps: 7.5 })).toBe(false); // a whole score
    expect(survey({ ...base, csat: 0 })).toBe(false); // CSAT on 1-5
    expect(survey({ ...base, csat: 4.5 })).toBe(true); // a mean-like CSAT is allowed
    expect(survey({ ...base, submittedAt: Date.UTC(2200, 0, 1) })).toBe(false); // the instant refinement: before 2200
    expect(survey({ ...base, surveyType: 'relational' })).toBe(true);
    expect(survey({ ...base, surveyType: 'other' })).toBe(false);
    expect(survey({ ...base, id: 'x'.repeat(513) })).toBe(false); // ids are at most 512 characters
    expect(survey({ ...base, attrs: null })).toBe(false);
    expect(survey({ ...base, line: undefined })).toBe(false);
    expect(survey({ ...base, somethingElse: [1, 2] })).toBe(true); // unknown keys are stripped by zod, not rejected
  });

  it('asks zod about ids shorter than twice the minimum (zod counts code points), and agrees with it', () => {
    expect(survey({ ...base, id: '7' })).toBe(true);
    expect(survey({ ...base, id: '\u{1F600}' })).toBe(true); // 2 UTF-16 units, 1 code point: still at least 1
    expect(survey({ ...base, id: '' })).toBe(false);
  });

  it('asks zod for every record of a schema with object-level checks or a catch-all', () => {
    const refined = z.object({ a: z.number() }).refine((o) => o.a > 1);
    expect(compileRecordCheck(refined)({ a: 5 })).toBe(false);
    expect(compileRecordCheck(z.strictObject({ a: z.number() }))({ a: 5 })).toBe(false);
    expect(compileRecordCheck(z.object({ a: z.number() }))({ a: 5 })).toBe(true);
  });

  it('falls back to zod per field for constructs it does not compile', () => {
    const schema = z.object({ when: z.date(), n: z.number().multipleOf(5), s: z.string().email() });
    const check = compileRecordCheck(schema);
    expect(check({ when: new Date(0), n: 10, s: 'a@b.co' })).toBe(true); // each field asked zod, each passed
    expect(check({ when: new Date(0), n: 11, s: 'a@b.co' })).toBe(false);
    expect(check({ when: new Date(0), n: 10, s: 'nope' })).toBe(false);
  });

  describe('folded bounds (several checks of one sort keep the tightest)', () => {
    const fieldCheck = (schema: z.ZodType) => compileFieldChecks(z.object({ f: schema }))!.get('f')!;
    const VALUES: unknown[] = [undefined, null, -4, -3, -1, 0, 0.5, 1, 1.5, 2, 3, 4, 4.5, 5, 6, 2 ** 53, NaN, Infinity, -Infinity, '', 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', '\u{1F600}\u{1F600}', true, {}];
    // [schema, values the fast path must vouch for]
    const CASES: [string, z.ZodType, unknown[]][] = [
      ['min(0).min(1)', z.number().min(0).min(1), [1, 1.5, 5, 2 ** 53]],
      ['min(1).min(0)', z.number().min(1).min(0), [1, 5]],
      ['gte(1).gt(1)', z.number().gte(1).gt(1), [1.5, 2]],
      ['gt(1).gte(1)', z.number().gt(1).gte(1), [1.5, 2]],
      ['lte(5).lt(5)', z.number().lte(5).lt(5), [4.5, -3, 0]],
      ['lt(5).max(6)', z.number().lt(5).max(6), [4.5, 0]],
      ['int().min(-3).max(3)', z.number().int().min(-3).max(3), [-3, 0, 3]],
      ['int()', z.number().int(), [-4, 0, 2 ** 53 - 1]],
      ['refine(>= 1).max(5)', z.number().refine((v) => v >= 1).max(5), [1, 4.5, 5]],
      ['max(5).refine(>= 1).refine(!= 3)', z.number().max(5).refine((v) => v >= 1).refine((v) => v !== 3), [1, 2, 4.5]],
      // A refinement passes as zod reads it: a truthy result (1), not just `true`; 0 fails.
      ['refine returning 1 or 0', z.number().refine((v) => (v > 1 ? 1 : 0) as unknown as boolean), [1.5, 2, 6]],
      ['optional int().min(0)', z.number().int().min(0).optional(), [undefined, 0, 6]],
      ['string min(2).min(1).max(5).max(4)', z.string().min(2).min(1).max(5).max(4), ['abcd']],
      ['string max(3)', z.string().max(3), ['', 'a', 'abc']],
      ['optional string', z.string().optional(), [undefined, '', 'abcdef']],
      ['optional boolean', z.boolean().optional(), [undefined, true]],
      ['optional enum', z.enum(['a', 'ab']).optional(), [undefined, 'a', 'ab']],
    ];
    for (const [name, schema, vouched] of CASES) {
      it(`${name}: never vouches for a value zod rejects, and vouches for plainly valid ones`, () => {
        const check = fieldCheck(schema);
        for (const value of VALUES) {
          if (check(value)) expect(schema.safeParse(value).success, `${name} vouched for ${String(value)}`).toBe(true);
        }
        for (const value of vouched) {
          expect(schema.safeParse(value).success, `${name}: ${String(value)} is valid`).toBe(true);
          expect(check(value), `${name}: ${String(value)}`).toBe(true);
        }
      });
    }

    it('answers false where the tightest bound excludes the value (then zod decides, and rejects)', () => {
      expect(fieldCheck(z.number().min(0).min(1))(0.5)).toBe(false); // 0.5 >= 0 but not >= 1
      expect(fieldCheck(z.number().gte(1).gt(1))(1)).toBe(false); // the exclusive bound wins the tie
      expect(fieldCheck(z.number().lte(5).lt(5))(5)).toBe(false);
      expect(fieldCheck(z.number().int().min(-3).max(3))(1.5)).toBe(false);
      expect(fieldCheck(z.number().max(5).refine((v) => v >= 1).refine((v) => v !== 3))(3)).toBe(false); // the second refinement
      expect(fieldCheck(z.string().min(2).min(1).max(5).max(4))('abcde')).toBe(false); // 5 > 4
      expect(fieldCheck(z.number().int().min(0).optional())(null)).toBe(false);
    });
  });
});
