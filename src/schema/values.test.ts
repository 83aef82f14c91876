import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLANK_TOKENS,
  DECIMAL_COMMA,
  DECIMAL_POINT,
  GOOD_BAD_LABELS,
  NPS_SCALE,
  SATISFACTION_LABELS,
  ScoreLabels,
  durationParser,
  durationUnitFromHeader,
  inferNumberStyle,
  inferScoreLabels,
  invalid,
  isBlank,
  isInvalid,
  normalizeLabel,
  numberParser,
  parseBoolean,
  parseDuration,
  parseDurationExpression,
  parseNumber,
  parsePercentOrFraction,
  parseScore,
  quoteValue,
  scoreParser,
  wordKey,
  type ScoreScale,
} from './values.js';

describe('Invalid', () => {
  it('is a plain object recognised by isInvalid', () => {
    expect(invalid('x')).toEqual({ invalid: true, reason: 'x' });
    expect(isInvalid(invalid('x'))).toBe(true);
    for (const v of [null, undefined, 0, 'invalid', { invalid: 'true' }, { reason: 'x' }]) expect(isInvalid(v)).toBe(false);
  });

  it('quotes text, truncates it to 40 characters and shows typed values bare', () => {
    expect(quoteValue('31/02/2024')).toBe('"31/02/2024"');
    expect(quoteValue('a"b\u0007')).toBe('"a\\"b\\u0007"');
    expect(quoteValue('x'.repeat(41))).toBe(`"${'x'.repeat(40)}…"`);
    expect(quoteValue('x'.repeat(40))).toBe(`"${'x'.repeat(40)}"`);
    expect(quoteValue(`${'x'.repeat(39)}😀tail`)).toBe(`"${'x'.repeat(39)}…"`);
    expect(quoteValue(9.5)).toBe('9.5');
    expect(quoteValue(true)).toBe('true');
    expect(quoteValue(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
    expect(quoteValue(new Date(NaN))).toBe('an invalid date');
  });
});

describe('isBlank', () => {
  it('treats every listed token as blank, in any case and with surrounding space', () => {
    for (const token of BLANK_TOKENS) {
      expect(isBlank(token)).toBe(true);
      expect(isBlank(` ${token.toUpperCase()}\t`)).toBe(true);
      expect(isBlank(token.toLowerCase())).toBe(true);
    }
    for (const text of ['', '   ', '\u00a0', 'NA', 'N/A', 'n/a', '#N/A', 'null', 'NULL', 'None', 'nil', '-', '—', `N/A${' '.repeat(30)}`]) {
      expect(isBlank(text), text).toBe(true);
    }
    expect(isBlank(null)).toBe(true);
    expect(isBlank(undefined)).toBe(true);
  });

  it('does not treat values, NaN or typed cells as blank', () => {
    for (const text of ['0', 'NaN', 'nan', 'none of them', 'n/a please', 'Nada', '--5', 'x']) expect(isBlank(text), text).toBe(false);
    for (const cell of [0, false, new Date(0)]) expect(isBlank(cell)).toBe(false);
  });
});

describe('inferNumberStyle', () => {
  it('finds a decimal comma', () => {
    for (const samples of [['1.234,56'], ['1 234,56'], ['12,5'], ['0,123'], ['1234,567'], ['1.234.567'], ['€ 1.234,50', '7']]) {
      const style = inferNumberStyle(samples);
      expect(style.decimal, samples.join(' ')).toBe(',');
      expect(style.basis).toBe('values');
    }
  });

  it('finds a decimal point', () => {
    for (const samples of [['1,234.56'], ['12.5'], ['1,234,567'], ['0.123'], ['1234.567'], ['1.5e3'], ["1'234.50"]]) {
      const style = inferNumberStyle(samples);
      expect(style.decimal, samples.join(' ')).toBe('.');
      expect(style.basis).toBe('values');
    }
  });

  it('decides an ambiguous 1,234 by the other values, then the locale, then a point', () => {
    expect(inferNumberStyle(['1,234', '12,5']).decimal).toBe(',');
    expect(inferNumberStyle(['1,234', '12.5']).decimal).toBe('.');
    expect(inferNumberStyle(['1,234'], 'es')).toMatchObject({ decimal: ',', basis: 'locale' });
    expect(inferNumberStyle(['1.234'], 'en')).toMatchObject({ decimal: '.', basis: 'locale' });
    const guess = inferNumberStyle(['1,234']);
    expect(guess).toMatchObject({ decimal: '.', basis: 'default' });
    expect(guess.note).toContain('"1,234" fits both');
  });

  it('uses the locale, else a point, when the sample has no separators', () => {
    expect(inferNumberStyle(['12', '', 'n/a', '7'], 'es')).toMatchObject({ decimal: ',', basis: 'locale' });
    expect(inferNumberStyle(['12', 7])).toMatchObject({ decimal: '.', basis: 'default' });
  });

  it('lets the majority win a mixed column and says the rest will be rejected', () => {
    const style = inferNumberStyle(['12,5', '3,75', '1.234,5', '2.5']);
    expect(style.decimal).toBe(',');
    expect(style.note).toBe('decimal comma: "12,5" and 2 more; 1 sampled value such as "2.5" uses the other separator and will be rejected');
  });
});

describe('parseNumber', () => {
  const point: [string, number][] = [
    ['0', 0],
    ['42', 42],
    ['-0', 0],
    ['12.5', 12.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1,234.56', 1234.56],
    ['1,234,567', 1234567],
    ['1 234.5', 1234.5],
    ['1\u00a0234.5', 1234.5],
    ['1\u202f234.5', 1234.5],
    ["1'234.5", 1234.5],
    ['+7', 7],
    ['-7.25', -7.25],
    ['−3', -3],
    ['(12.50)', -12.5],
    ['( 12.50 )', -12.5],
    ['12.50-', -12.5],
    ['$12.50', 12.5],
    ['-$12.50', -12.5],
    ['$-12.50', -12.5],
    ['USD 1,234.50', 1234.5],
    ['1,234.50 USD', 1234.5],
    ['12.50 EUR', 12.5],
    ['£3', 3],
    ['US$ 5', 5],
    ['80%', 80],
    ['-2.5 %', -2.5],
    ['1.5e3', 1500],
    ['1.5E-3', 0.0015],
    ['2e+2', 200],
    ['  42  ', 42],
    ['007', 7],
    ['0.1', 0.1],
    ['123456789012345678', 123456789012345678],
    ['0.30000000000000004', 0.30000000000000004],
    ['1e-400', 0],
  ];
  it.each(point)('reads %j with a decimal point', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
    expect(parseNumber(text, DECIMAL_POINT)).toBe(expected);
  });

  const comma: [string, number][] = [
    ['12,5', 12.5],
    ['1.234,56', 1234.56],
    ['1.234.567', 1234567],
    ['1 234,56', 1234.56],
    ['1.234', 1234],
    [',5', 0.5],
    ['1.234,56 €', 1234.56],
    ['€1.234,56', 1234.56],
    ['R$ 1.234,50', 1234.5],
    ['-1.234,5', -1234.5],
    ['(1,5)', -1.5],
    ['80,5%', 80.5],
    ['1,5e3', 1500],
  ];
  it.each(comma)('reads %j with a decimal comma', (text, expected) => {
    expect(parseNumber(text, DECIMAL_COMMA)).toBe(expected);
  });

  it('returns null for blanks', () => {
    for (const text of ['', '  ', 'N/A', '-', '—', 'null']) expect(parseNumber(text)).toBeNull();
    expect(parseNumber(null)).toBeNull();
  });

  it('accepts typed numbers and rejects other typed cells', () => {
    expect(parseNumber(12.5)).toBe(12.5);
    expect(parseNumber(-0.25, DECIMAL_COMMA)).toBe(-0.25);
    expect(parseNumber(NaN)).toEqual(invalid('not a number, got NaN'));
    expect(parseNumber(Infinity)).toEqual(invalid('expected a finite number, got Infinity'));
    expect(parseNumber(true)).toEqual(invalid('expected a number, got true'));
    expect(parseNumber(new Date(0))).toEqual(invalid('expected a number, got 1970-01-01T00:00:00.000Z'));
  });

  it('rejects bad values with a reason', () => {
    const cases: [string, string, '.' | ','][] = [
      ['1e309', 'number out of range, got "1e309"', '.'],
      ['-1e309', 'number out of range, got "-1e309"', '.'],
      ['Infinity', 'expected a finite number, got "Infinity"', '.'],
      ['-Infinity', 'expected a finite number, got "-Infinity"', '.'],
      ['NaN', 'not a number, got "NaN"', '.'],
      ['nan', 'not a number, got "nan"', ','],
      ['1.2.3', 'expected a number like 1,234.56, got "1.2.3"', '.'],
      ['12abc', 'expected a number like 1,234.56, got "12abc"', '.'],
      ['abc', 'expected a number like 1,234.56, got "abc"', '.'],
      ['12,5', 'expected a number like 1,234.56, got "12,5"', '.'],
      ['1,23,456', 'expected a number like 1,234.56, got "1,23,456"', '.'],
      ['1234,567.5', 'expected a number like 1,234.56, got "1234,567.5"', '.'],
      ['1,234.5.6', 'expected a number like 1,234.56, got "1,234.5.6"', '.'],
      ['1 234,567', 'expected a number like 1,234.56, got "1 234,567"', '.'],
      ['1,', 'expected a number like 1,234.56, got "1,"', '.'],
      ['$', 'expected a number like 1,234.56, got "$"', '.'],
      ['--5', 'expected a number like 1,234.56, got "--5"', '.'],
      ['5 apples', 'expected a number like 1,234.56, got "5 apples"', '.'],
      ['1e', 'expected a number like 1,234.56, got "1e"', '.'],
      ['12.5', 'expected a number like 1.234,56, got "12.5"', ','],
      ['1,234.5', 'expected a number like 1.234,56, got "1,234.5"', ','],
      ['1,2,3', 'expected a number like 1.234,56, got "1,2,3"', ','],
    ];
    for (const [text, reason, decimal] of cases) expect(parseNumber(text, { decimal }), text).toEqual(invalid(reason));
  });

  it('cuts long values in reasons', () => {
    const long = `12${'x'.repeat(60)}`;
    expect(parseNumber(long)).toEqual(invalid(`expected a number like 1,234.56, got "${long.slice(0, 40)}…"`));
  });

  it('numberParser binds the style', () => {
    const parse = numberParser(inferNumberStyle(['1.234,5']));
    expect(parse('2,5')).toBe(2.5);
    expect(parse(null)).toBeNull();
    expect(parse(3)).toBe(3);
    expect(isInvalid(parse('2.5'))).toBe(true);
  });

  it('reads back any double written by String()', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(parseNumber(String(x))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back amounts formatted for Spain and the US', () => {
    const es = new Intl.NumberFormat('es-ES', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: 'always' } as Intl.NumberFormatOptions);
    const en = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const x = cents / 100;
        expect(parseNumber(es.format(x), DECIMAL_COMMA)).toBe(x === 0 ? 0 : x);
        expect(parseNumber(en.format(x), DECIMAL_POINT)).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parsePercentOrFraction', () => {
  it('reads percentages and fractions as fractions', () => {
    expect(parsePercentOrFraction('80%')).toBe(0.8);
    expect(parsePercentOrFraction('0.8')).toBe(0.8);
    expect(parsePercentOrFraction(' 12.5 % ')).toBe(0.125);
    expect(parsePercentOrFraction('-5%')).toBe(-0.05);
    expect(parsePercentOrFraction('1')).toBe(1);
    expect(parsePercentOrFraction('150%')).toBe(1.5);
    expect(parsePercentOrFraction('80,5%', DECIMAL_COMMA)).toBe(0.805);
    expect(parsePercentOrFraction(0.25)).toBe(0.25);
    expect(parsePercentOrFraction('')).toBeNull();
    expect(parsePercentOrFraction(null)).toBeNull();
  });

  it('rejects bare numbers outside -1..1 and non-numbers', () => {
    expect(parsePercentOrFraction('80')).toEqual(invalid('expected a fraction 0-1 or a percentage like 80%, got "80"'));
    expect(parsePercentOrFraction(80)).toEqual(invalid('expected a fraction 0-1 or a percentage like 80%, got 80'));
    expect(parsePercentOrFraction('lots')).toEqual(invalid('expected a number like 1,234.56, got "lots"'));
  });
});

describe('parseScore', () => {
  it('reads NPS answers', () => {
    const cases: [string | number, number][] = [
      ['0', 0],
      ['10', 10],
      ['10.0', 10],
      ['7,0', 7],
      [' 9 ', 9],
      [9, 9],
      [10.0, 10],
      ['9/10', 9],
      ['9 / 10', 9],
    ];
    for (const [value, expected] of cases) expect(parseScore(value, NPS_SCALE), String(value)).toBe(expected);
    expect(parseScore('', NPS_SCALE)).toBeNull();
    expect(parseScore('N/A', NPS_SCALE)).toBeNull();
    expect(parseScore(null, NPS_SCALE)).toBeNull();
  });

  it('rejects NPS answers that are not whole numbers 0-10', () => {
    const cases: [string | number | boolean, string][] = [
      ['9.5', 'expected a whole score 0-10, got "9.5"'],
      [9.5, 'expected a whole score 0-10, got 9.5'],
      ['-1', 'expected a whole score 0-10, got "-1"'],
      ['11', 'expected a whole score 0-10, got "11"'],
      ['4/5', 'expected a whole score 0-10, got "4/5"'],
      ['great', 'expected a whole score 0-10, got "great"'],
      [true, 'expected a whole score 0-10, got true'],
    ];
    for (const [value, reason] of cases) expect(parseScore(value, NPS_SCALE), String(value)).toEqual(invalid(reason));
  });

  it('reads CSAT scales and names the scale in reasons', () => {
    const five: ScoreScale = { min: 1, max: 5, integer: true };
    const seven: ScoreScale = { min: 1, max: 7, integer: true, label: 'CES score' };
    const ten: ScoreScale = { min: 1, max: 10, integer: false, label: 'rating' };
    expect(parseScore('4', five)).toBe(4);
    expect(parseScore('4/5', five)).toBe(4);
    expect(parseScore('0', five)).toEqual(invalid('expected a whole score 1-5, got "0"'));
    expect(parseScore('6', five)).toEqual(invalid('expected a whole score 1-5, got "6"'));
    expect(parseScore('7', seven)).toBe(7);
    expect(parseScore('8', seven)).toEqual(invalid('expected a whole CES score 1-7, got "8"'));
    expect(parseScore('7.5', ten)).toBe(7.5);
    expect(parseScore('0', ten)).toEqual(invalid('expected a rating 1-10, got "0"'));
    expect(parseScore('0', { min: 0, max: 10, integer: true })).toBe(0);
  });

  it('maps English and Spanish satisfaction labels, ignoring case, accents and punctuation', () => {
    const scale: ScoreScale = { min: 1, max: 5, integer: true, labels: SATISFACTION_LABELS };
    const cases: [string, number][] = [
      ['Very dissatisfied', 1],
      ['Dissatisfied', 2],
      ['Neutral', 3],
      ['Neither satisfied nor dissatisfied', 3],
      ['Satisfied', 4],
      ['Very satisfied', 5],
      ['VERY SATISFIED.', 5],
      ['Muy insatisfecho', 1],
      ['Insatisfecha', 2],
      ['Ni satisfecho ni insatisfecho', 3],
      ['Satisfecho', 4],
      ['Muy satisfecho', 5],
      ['  muy   SATISFECHA ', 5],
      ['4', 4],
    ];
    for (const [label, expected] of cases) expect(parseScore(label, scale), label).toBe(expected);
    expect(parseScore('Excelente', scale)).toEqual(invalid('expected a whole score 1-5 or a known answer label, got "Excelente"'));
  });

  it('maps Zendesk good/bad to 1/0 on a 0-1 scale, and rejects labels outside the scale', () => {
    const binary: ScoreScale = { min: 0, max: 1, integer: true, labels: GOOD_BAD_LABELS };
    expect(parseScore('Good', binary)).toBe(1);
    expect(parseScore('bad', binary)).toBe(0);
    expect(parseScore('Good, with comment', binary)).toBe(1);
    expect(parseScore('Malo', binary)).toBe(0);
    expect(parseScore('Offered', binary)).toEqual(invalid('expected a whole score 0-1 or a known answer label, got "Offered"'));
    const wrong: ScoreScale = { min: 1, max: 5, integer: true, labels: GOOD_BAD_LABELS };
    expect(parseScore('Bad', wrong)).toEqual(invalid('expected a whole score 1-5 or a known answer label, got "Bad"'));
  });

  it('takes caller label maps', () => {
    const labels = new ScoreLabels({ Promotor: 10, Detractor: 0 });
    expect(labels.size).toBe(2);
    expect(parseScore('PROMOTOR', { ...NPS_SCALE, labels })).toBe(10);
    expect(new ScoreLabels([['Sí', 1]]).get('si')).toBe(1);
    expect(scoreParser({ ...NPS_SCALE, labels })('detractor')).toBe(0);
  });

  it('infers which shipped label set a column uses', () => {
    expect(inferScoreLabels(['Good', 'Bad', '', 'good'])?.id).toBe('good-bad');
    expect(inferScoreLabels(['Muy satisfecho', 'Neutro', '5'])?.id).toBe('satisfaction-5');
    expect(inferScoreLabels(['1', '2', '9,5'])).toBeNull();
    expect(inferScoreLabels(['Good', 'Excelente'])).toBeNull();
  });

  it('normalizes labels', () => {
    expect(normalizeLabel(' Muy  Satisfecho. ')).toBe('muy satisfecho');
    expect(normalizeLabel('Good, with comment')).toBe('good with comment');
    expect(normalizeLabel('Año')).toBe('ano');
  });
});

describe('parseBoolean', () => {
  it('reads yes/no in English and Spanish', () => {
    const yes = ['true', 'TRUE', 'True', 'yes', 'Yes.', 'Y', 'y', 'sí', 'Sí', 'SÍ', 'si', 'S', 's', '1', '1.0', 't', 'T', 'verdadero', 'Verdadero', 'V', 'x', 'X', 'on', ' yes '];
    const no = ['false', 'FALSE', 'no', 'No', 'NO.', 'n', 'N', '0', '0.0', 'f', 'F', 'falso', 'Falso', 'off'];
    for (const text of yes) expect(parseBoolean(text), text).toBe(true);
    for (const text of no) expect(parseBoolean(text), text).toBe(false);
  });

  it('takes typed cells and blanks', () => {
    expect(parseBoolean(true)).toBe(true);
    expect(parseBoolean(false)).toBe(false);
    expect(parseBoolean(1)).toBe(true);
    expect(parseBoolean(0)).toBe(false);
    expect(parseBoolean(null)).toBeNull();
    expect(parseBoolean('')).toBeNull();
    expect(parseBoolean('N/A')).toBeNull();
  });

  it('rejects anything else', () => {
    for (const value of ['maybe', 'yess', 'tal vez', '2', 'si.no']) {
      expect(parseBoolean(value)).toEqual(invalid(`expected yes/no, true/false or 1/0, got "${value}"`));
    }
    expect(parseBoolean(2)).toEqual(invalid('expected yes/no, true/false or 1/0, got 2'));
    expect(parseBoolean(new Date(0))).toEqual(invalid('expected yes/no, true/false or 1/0, got 1970-01-01T00:00:00.000Z'));
  });
});

describe('parseDuration', () => {
  it('reads bare numbers in the column unit', () => {
    expect(parseDuration('90', 's')).toBe(90);
    expect(parseDuration('90', 'min')).toBe(5400);
    expect(parseDuration('1.5', 'h')).toBe(5400);
    expect(parseDuration('2', 'd')).toBe(172800);
    expect(parseDuration('1,5', 'h', DECIMAL_COMMA)).toBe(5400);
    expect(parseDuration('1,234', 's')).toBe(1234);
    expect(parseDuration(30, 'min')).toBe(1800);
    expect(parseDuration('-5', 'min')).toBe(-300);
  });

  it('reads clocks: H:MM:SS always, A:B as M:SS in seconds columns and H:MM elsewhere', () => {
    const cases: [string, 's' | 'min' | 'h', number][] = [
      ['01:02:03', 's', 3723],
      ['1:02:03', 'min', 3723],
      ['01:02:03.5', 's', 3723.5],
      ['01:02:03,25', 'h', 3723.25],
      ['125:30:00', 's', 451800],
      ['1.02:03:04', 's', 93784],
      ['2:23', 's', 143],
      ['02:23', 's', 143],
      ['2:23', 'min', 8580],
      ['2:23', 'h', 8580],
      ['0:45', 'min', 2700],
      ['-0:01:30', 's', -90],
    ];
    for (const [text, unit, expected] of cases) expect(parseDuration(text, unit), `${text} ${unit}`).toBe(expected);
  });

  it('reads unit expressions and ISO 8601 durations', () => {
    const cases: [string, number][] = [
      ['1h 20m', 4800],
      ['1h20m30s', 4830],
      ['2d 3h', 183600],
      ['90s', 90],
      ['4h', 14400],
      ['1.5h', 5400],
      ['2 hours 5 minutes', 7500],
      ['1 hr 20 min', 4800],
      ['1 hora 30 minutos', 5400],
      ['3 días', 259200],
      ['3 DIAS', 259200],
      ['45 seg.', 45],
      ['1w 1d', 691200],
      ['500ms', 0.5],
      ['PT1H30M', 5400],
      ['P2D', 172800],
      ['P1DT2H', 93600],
      ['PT0.5S', 0.5],
      ['pt4m13s', 253],
    ];
    for (const [text, expected] of cases) expect(parseDuration(text, 'min'), text).toBe(expected);
    expect(parseDuration('1,5h', 's', DECIMAL_COMMA)).toBe(5400);
  });

  it('returns blanks as null', () => {
    for (const value of ['', ' ', 'N/A', '-', null]) expect(parseDuration(value, 's')).toBeNull();
  });

  it('rejects the rest with a reason', () => {
    const shapes = 'expected a duration like 1:30:00, 90 or 1h 30m';
    const cases: [string, string][] = [
      ['1:75:00', 'expected minutes and seconds below 60, got "1:75:00"'],
      ['1:00:75', 'expected minutes and seconds below 60, got "1:00:75"'],
      ['2:60', 'expected minutes and seconds below 60, got "2:60"'],
      ['abc', `${shapes}, got "abc"`],
      ['1:2', `${shapes}, got "1:2"`],
      ['1:02:03:04', `${shapes}, got "1:02:03:04"`],
      ['1h 2h', `${shapes}, got "1h 2h"`],
      ['30m 1h', `${shapes}, got "30m 1h"`],
      ['1 fortnight', `${shapes}, got "1 fortnight"`],
      ['P1M', `${shapes}, got "P1M"`],
      ['1h20', `${shapes}, got "1h20"`],
      ['1.5', `${shapes}, got "1.5"`],
    ];
    for (const [text, reason] of cases) {
      expect(parseDuration(text, text === '1.5' ? 's' : 'min', text === '1.5' ? DECIMAL_COMMA : DECIMAL_POINT), text).toEqual(invalid(reason));
    }
    expect(parseDuration(true, 's')).toEqual(invalid(`${shapes}, got true`));
    expect(parseDuration(NaN, 's')).toEqual(invalid(`${shapes}, got NaN`));
  });

  it('durationParser binds unit and style', () => {
    const parse = durationParser('min', DECIMAL_COMMA);
    expect(parse('2,5')).toBe(150);
    expect(parse('1:30')).toBe(5400);
  });
});

describe('parseDurationExpression', () => {
  it('reads unit expressions strictly', () => {
    expect(parseDurationExpression('90s')).toBe(90);
    expect(parseDurationExpression('4h')).toBe(14400);
    expect(parseDurationExpression('2d')).toBe(172800);
    expect(parseDurationExpression('1h30m')).toBe(5400);
    expect(parseDurationExpression(' 1.5h ')).toBe(5400);
    expect(parseDurationExpression('PT4H')).toBe(14400);
  });

  it('rejects bare numbers, clocks, signs and junk', () => {
    for (const text of ['90', '1:30', '-1h', '1,5h', '', 'soon', '1h 1h', '4 h later']) {
      expect(parseDurationExpression(text), text).toEqual(invalid(`expected a duration like 90s, 4h, 2d or 1h30m, got ${JSON.stringify(text)}`));
    }
  });
});

describe('durationUnitFromHeader', () => {
  it('recognises English and Spanish units', () => {
    const cases: [string, string | null][] = [
      ['First reply time in minutes', 'min'],
      ['First reply time in minutes within business hours', 'min'],
      ['Full resolution time in hours', 'h'],
      ['Requester wait time in minutes', 'min'],
      ['Talk Time (sec)', 's'],
      ['Hold time (s)', 's'],
      ['wait_secs', 's'],
      ['duration_seconds', 's'],
      ['AHT (min)', 'min'],
      ['talkTimeMinutes', 'min'],
      ['Tiempo de espera (segundos)', 's'],
      ['Duración (seg.)', 's'],
      ['TMO (minutos)', 'min'],
      ['Tiempo de resolución en horas laborables', 'h'],
      ['Tiempo de resolución (días)', 'd'],
      ['Días hasta la entrega', 'd'],
      ['Resolution (hrs)', 'h'],
      ['Time in day', 'd'],
      ['Business hours', null],
      ['Hour of day', null],
      ['Día', null],
      ['Min wait', null],
      ["Customer's comment", null],
      ['Duración (hh:mm:ss)', null],
      ['Minutes', 'min'],
    ];
    for (const [header, unit] of cases) expect(durationUnitFromHeader(header), header).toBe(unit);
  });
});

describe('wordKey', () => {
  it('folds case and Spanish accents, and refuses other characters', () => {
    expect(wordKey('Días', 0, 4)).toBe(wordKey('dias', 0, 4));
    expect(wordKey('MARZO', 0, 5)).toBe(wordKey('marzo', 0, 5));
    expect(wordKey('a1', 0, 2)).toBe(-1);
    expect(wordKey('abcdefghijk', 0, 11)).toBe(-1);
  });
});
