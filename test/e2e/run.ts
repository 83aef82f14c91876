/**
 * Runs the built `cxm` the way a user does: a child process with argv, stdin, env and a working
 * directory; returns stdout, stderr and the exit code. `npm test` builds first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/cxm.js');
export const DEMO = path.join(ROOT, 'fixtures/demo');
export const REAL = path.resolve(ROOT, '../shared/data/real');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set by `cxmRun` only: true when it had to kill the child after `timeoutMs`. */
  timedOut?: boolean;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...extra };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

export function cxm(args: string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: childEnv(options.env),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status, signal: result.signal };
}

/** Spawns without waiting, for signal and pipe tests. */
export function cxmAsync(args: string[], options: RunOptions = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: childEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * `cxm` without blocking the event loop: spawns via `cxmAsync`, writes `input` to stdin (or just
 * closes it), collects stdout and stderr, and resolves on 'close'. Unlike `cxm` there is no
 * timeout unless `timeoutMs` is given; then the child is killed with SIGKILL at that point and
 * `timedOut` is true. Rejects only if the process cannot be spawned.
 */
export function cxmRun(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = cxmAsync(args, options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // cxm may exit before reading its stdin (EPIPE)
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, signal, timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}

export function tempDir(prefix = 'cxm-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
