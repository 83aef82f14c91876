import { describe, expect, it } from 'vitest';
import { parseThreads } from './threads.js';

describe('parseThreads', () => {
  it('defaults to the cores, less those the load average shows busy', () => {
    expect(parseThreads({}, {}, 2, 0.3)).toEqual({ threads: 2, minBytes: undefined, note: null });
    // 2 cores, load 1.2: round(2 - 1.2) = 1 idle core.
    expect(parseThreads({}, {}, 2, 1.2).threads).toBe(1);
    expect(parseThreads({}, {}, 2, 1.2).note).toMatch(/lowered from 2 to 1 thread: the load average is 1.20 on 2 cores/);
    // 8 cores, load 2.6: round(5.4) = 5.
    expect(parseThreads({}, {}, 8, 2.6).threads).toBe(5);
    expect(parseThreads({}, {}, 2, 7).threads).toBe(1);
  });

  it('takes --threads as given, whatever the load', () => {
    expect(parseThreads({ threads: '2' }, {}, 2, 7)).toEqual({ threads: 2, minBytes: undefined, note: null });
    expect(parseThreads({ threads: '1' }, {}, 8, 0).threads).toBe(1);
  });

  it('rejects anything but a whole number from 1 to 64', () => {
    for (const bad of ['0', '65', '1.5', 'two', '', '-1']) expect(() => parseThreads({ threads: bad }, {}, 2)).toThrow(/--threads: must be a whole number from 1 to 64/);
  });

  it('reads CXM_PARALLEL_MIN_BYTES', () => {
    expect(parseThreads({}, { CXM_PARALLEL_MIN_BYTES: '1' }, 2).minBytes).toBe(1);
    expect(parseThreads({}, { CXM_PARALLEL_MIN_BYTES: 'lots' }, 2).minBytes).toBeUndefined();
  });
});
