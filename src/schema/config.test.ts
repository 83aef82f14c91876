import { describe, expect, it } from 'vitest';
import { CxmError } from '../errors.js';
import { configJsonSchema, parseConfig } from './config.js';

function configError(data: unknown): CxmError {
  try {
    parseConfig(data, 'cxm.config.json');
  } catch (error) {
    if (error instanceof CxmError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig: valid configs', () => {
  it('an empty object is a valid minimal config', () => {
    expect(parseConfig({}, 'cxm.config.json')).toEqual({});
  });

  it('a minimal file mapping', () => {
    const config = parseConfig({ files: [{ match: 'nps.csv', kind: 'survey', columns: { Puntuación: 'nps', Notas: null } }] }, 'c.json');
    expect(config.files).toEqual([{ match: 'nps.csv', kind: 'survey', columns: { Puntuación: 'nps', Notas: null } }]);
  });

  it('a full config keeps every key', () => {
    const full = {
      $schema: './cxm.schema.json',
      timezone: 'Europe/Madrid',
      locale: 'es',
      dateOrder: 'dmy',
      maxRejectRate: 0.1,
      minSample: 20,
      weekStart: 'sunday',
      csatRule: 'good-over-rated',
      scales: {
        csat: { min: 1, max: 5, positiveFrom: 4 },
        ces: { min: 1, max: 7, direction: 'higher-is-easier', lowEffortFrom: 5 },
        review: { min: 1, max: 5 },
        frustration: { min: 0, max: 10 },
        social: { min: 1, max: 5 },
      },
      values: { channel: { Correo: 'email', Teléfono: 'phone' } },
      calls: { shortAbandonSeconds: 5, serviceLevelSeconds: 20 },
      tickets: { recurringWindowDays: 7 },
      social: { complaintShare: 0.03 },
      clv: { grossMargin: 0.4 },
      files: [
        {
          match: 'exports/**/llamadas*.csv',
          kind: 'call',
          skip: false,
          columns: { Atendida: 'answered' },
          values: { answered: { Sí: true, No: false } },
          set: { channel: 'phone', weight: 1, vip: true },
          dateOrder: 'dmy',
          decimal: ',',
          timezone: 'UTC',
          delimiter: ';',
          encoding: 'windows-1252',
        },
        { match: 'answer-key.csv', skip: true },
      ],
    };
    expect(parseConfig(full, 'cxm.config.json')).toEqual(full);
  });
});

describe('parseConfig: each invalid key is INVALID_CONFIG naming its path', () => {
  it.each([
    ['files[0].kind', { files: [{ match: 'a.csv', kind: 'tickets' }] }],
    ['files[0].match', { files: [{ match: '' }] }],
    ['files[0].match', { files: [{}] }],
    ['files[1].columns.Puntuación', { files: [{ match: 'a.csv' }, { match: 'b.csv', columns: { Puntuación: 5 } }] }],
    ['files[0].delimiter', { files: [{ match: 'a.csv', delimiter: ':' }] }],
    ['files[0].encoding', { files: [{ match: 'a.csv', encoding: 'latin1' }] }],
    ['files[0].decimal', { files: [{ match: 'a.csv', decimal: ' ' }] }],
    ['files[0].skip', { files: [{ match: 'a.csv', skip: 'yes' }] }],
    ['files[0].values.channel.Correo', { files: [{ match: 'a.csv', values: { channel: { Correo: ['email'] } } }] }],
    ['files', { files: { match: 'a.csv' } }],
    ['locale', { locale: 'fr' }],
    ['dateOrder', { dateOrder: 'dd/mm/yyyy' }],
    ['maxRejectRate', { maxRejectRate: 5 }],
    ['maxRejectRate', { maxRejectRate: -0.1 }],
    ['minSample', { minSample: 0 }],
    ['minSample', { minSample: 2.5 }],
    ['weekStart', { weekStart: 'tuesday' }],
    ['csatRule', { csatRule: 'top-box' }],
    ['scales.csat', { scales: { csat: { min: 5, max: 1 } } }],
    ['scales.ces.direction', { scales: { ces: { min: 1, max: 7 } } }],
    ['scales.review.max', { scales: { review: { min: 1 } } }],
    ['calls.serviceLevelSeconds', { calls: { serviceLevelSeconds: -1 } }],
    ['tickets.recurringWindowDays', { tickets: { recurringWindowDays: '7' } }],
    ['social.complaintShare', { social: { complaintShare: 0 } }],
    ['clv.grossMargin', { clv: { grossMargin: 1.5 } }],
    ['values.channel', { values: { channel: 'email' } }],
  ])('%s', (path, data) => {
    const error = configError(data);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.where.file).toBe('cxm.config.json');
    expect(error.message).toMatch(new RegExp(`\\n  ${path.replace(/[.[\]]/g, '\\$&')}: `));
    expect(error.hint).toContain('cxm config schema');
  });

  it('a bad time zone, top level and per file', () => {
    const top = configError({ timezone: 'Europe/Madird' });
    expect(top.code).toBe('INVALID_CONFIG');
    expect(top.message).toContain('timezone: expected an IANA time zone such as "Europe/Madrid" or "UTC"');
    const perFile = configError({ files: [{ match: 'a.csv', timezone: 'Mars/Olympus' }] });
    expect(perFile.message).toContain('files[0].timezone: expected an IANA time zone');
  });

  it('an unknown top-level key is named', () => {
    const error = configError({ timezone: 'UTC', tiemzone: 'Europe/Madrid' });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('(top level)');
    expect(error.message).toContain('tiemzone');
  });

  it('an unknown key inside a file entry is named with its entry', () => {
    const error = configError({ files: [{ match: 'a.csv', column: { A: 'id' } }] });
    expect(error.message).toMatch(/files\[0\]: .*column/);
  });

  it('several problems are all listed', () => {
    const error = configError({ locale: 'fr', files: [{ match: 'a.csv', kind: 'x' }] });
    expect(error.message).toContain('locale: ');
    expect(error.message).toContain('files[0].kind: ');
    expect(error.message.startsWith('cxm.config.json: invalid configuration:\n')).toBe(true);
  });

  it('not an object at all', () => {
    expect(configError([]).message).toContain('(top level): ');
    expect(configError(null).code).toBe('INVALID_CONFIG');
    expect(configError('timezone: UTC').code).toBe('INVALID_CONFIG');
  });
});

describe('configJsonSchema', () => {
  it('returns an object schema with files, timezone and scales', () => {
    const schema = configJsonSchema() as {
      type: string;
      properties: Record<string, { type?: string; items?: { properties?: Record<string, unknown>; required?: string[] } }>;
      additionalProperties: unknown;
    };
    expect(schema.type).toBe('object');
    expect(schema.properties.files).toBeDefined();
    expect(schema.properties.files!.type).toBe('array');
    expect(Object.keys(schema.properties.files!.items!.properties!)).toEqual(
      expect.arrayContaining(['match', 'kind', 'skip', 'columns', 'values', 'set', 'dateOrder', 'decimal', 'timezone', 'delimiter', 'encoding']),
    );
    expect(schema.properties.files!.items!.required).toEqual(['match']);
    expect(schema.properties.timezone).toBeDefined();
    expect(schema.properties.scales).toBeDefined();
    expect(schema.additionalProperties).toBe(false);
  });

  it('is plain JSON', () => {
    const schema = configJsonSchema();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
