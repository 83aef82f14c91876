/**
 * The lazy command registry: `cxm --help` lists the commands from COMMANDS without loading their
 * modules, and must read exactly as if every module were loaded; the command argv names is the
 * only one loaded.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, commandOf } from './program.js';

const argv = (...args: string[]) => ['node', 'cxm', ...args];
const sub = (program: Command, name: string) => program.commands.find((c) => c.name() === name)!;
/** A listed-only command carries the hidden `--listed-only` marker and nothing else. */
const listedOnly = (command: Command) => command.options.length <= 1 && command.options.every((o) => o.long === '--listed-only');

describe('commandOf', () => {
  it('is the first operand, or the one after help', () => {
    expect(commandOf(argv('report', 'exports/', '--by', 'channel'))).toBe('report');
    expect(commandOf(argv('--help'))).toBeNull();
    expect(commandOf(argv())).toBeNull();
    expect(commandOf(argv('help', 'check'))).toBe('check');
    expect(commandOf(argv('help'))).toBeNull();
    expect(commandOf(argv('-V'))).toBeNull();
    expect(commandOf(argv('config', 'schema'))).toBe('config');
    expect(commandOf(argv('--debug', 'inspect', '-'))).toBe('inspect');
  });
});

describe('the registry lists the commands as their modules define them', () => {
  it('cxm --help: byte for byte the help of the fully loaded program, with no command module loaded', async () => {
    const full = await buildProgram(argv(), true);
    const lazy = await buildProgram(argv('--help'));
    expect(lazy.helpInformation()).toBe(full.helpInformation());
    expect(lazy.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    expect(lazy.commands.filter((c) => !listedOnly(c)).map((c) => c.name())).toEqual([]);
    // The listing does show the commands, their arguments and summaries.
    expect(lazy.helpInformation()).toContain('  check [options] [inputs...]      fail a CI job when a KPI breaks its threshold\n');
    expect(lazy.helpInformation()).toContain('  config                           print the config JSON Schema, or validate a\n');
  });

  it('each entry: summary, arguments and [options] as the module sets them', async () => {
    const full = await buildProgram(argv(), true);
    for (const entry of COMMANDS) {
      const real = sub(full, entry.name);
      expect(real.summary(), entry.name).toBe(entry.summary);
      expect(real.registeredArguments.map((a) => `[${a.name()}${a.variadic ? '...' : ''}]`).join(' '), entry.name).toBe(entry.args);
      expect(real.options.length > 0, entry.name).toBe(entry.options);
    }
  });

  for (const entry of COMMANDS) {
    it(`cxm ${entry.name} --help and cxm help ${entry.name}: only ${entry.name} is loaded, its help unchanged`, async () => {
      const full = await buildProgram(argv(), true);
      for (const args of [argv(entry.name, '--help'), argv('help', entry.name)]) {
        const lazy = await buildProgram(args);
        expect(sub(lazy, entry.name).helpInformation()).toBe(sub(full, entry.name).helpInformation());
        expect(listedOnly(sub(lazy, entry.name))).toBe(!entry.options);
        expect(lazy.commands.filter((c) => c.name() !== entry.name).every(listedOnly)).toBe(true);
        expect(lazy.helpInformation()).toBe(full.helpInformation());
      }
    });
  }
});
