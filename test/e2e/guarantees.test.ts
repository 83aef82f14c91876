/**
 * The README's "What cxm promises about your data", checked where no other test does: no code
 * evaluation anywhere, the docs' metric catalogue in step with the registry, and a signal mid-run
 * leaving no partial output file.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cxm, cxmAsync, ROOT, tempDir } from './run.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('guarantees', () => {
  it('no eval or new Function in the source', () => {
    const offenders = sourceFiles(path.join(ROOT, 'src')).filter((file) => /\beval\s*\(|new\s+Function\s*\(/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('docs/metrics.md is what `cxm metrics --format md` prints', () => {
    const r = cxm(['metrics', '--format', 'md']);
    expect(r.code).toBe(0);
    const doc = readFileSync(path.join(ROOT, 'docs/metrics.md'), 'utf8');
    // The doc is a short preamble followed by the command's table, byte for byte.
    expect(doc.endsWith(r.stdout)).toBe(true);
    expect(r.stdout).toContain('| `nps` |');
  });

  it('SIGTERM mid-run exits 143 and leaves neither the output file nor a temporary file', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'report.json');
    writeFileSync(out, 'previous report\n');
    const child = cxmAsync(['report', '-', '--format', 'json', '--out', out]);
    // Writes still queued when the child dies fail with EPIPE on our side: expected, not an error.
    child.stdin.on('error', () => undefined);
    // Half an export on stdin, and the stream left open: the run is mid-read when the signal comes.
    child.stdin.write('response_id,submitted_at,channel,nps\n');
    for (let i = 0; i < 5_000; i++) child.stdin.write(`R${i},2025-03-01T10:00:00Z,email,${i % 11}\n`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(143);
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
    expect(readdirSync(dir).filter((name) => name.startsWith('.cxm-tmp-'))).toEqual([]);
  });

  it('SIGINT exits 130', async () => {
    const child = cxmAsync(['report', '-', '--format', 'json']);
    child.stdin.on('error', () => undefined);
    // stdin stays open: the run waits for data until interrupted.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
  });
});
