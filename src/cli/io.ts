/**
 * Everything that touches the terminal and the file system on the way out: stdout/stderr,
 * broken pipes, signals, colour, and atomic writes of `--out` files.
 */
import { promises as fs, unlinkSync } from 'node:fs';
import path from 'node:path';
import { CxmError } from '../errors.js';

const pendingTemps = new Set<string>();
let guarded = false;

/**
 * A broken pipe (`cxm report … | head -1`) ends the run quietly with exit 0; SIGINT and SIGTERM
 * remove any half-written temporary file and exit 130 / 143.
 */
export function installProcessGuards(): void {
  if (guarded) return;
  guarded = true;
  const onPipeError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      cleanupTemps();
      process.exit(0);
    }
    throw error;
  };
  process.stdout.on('error', onPipeError);
  process.stderr.on('error', onPipeError);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      cleanupTemps();
      process.exit(code);
    });
  }
}

function cleanupTemps(): void {
  for (const temp of pendingTemps) {
    try {
      // Synchronous on purpose: we are about to exit.
      unlinkSync(temp);
    } catch {
      /* already gone */
    }
  }
  pendingTemps.clear();
}

export function stdoutWrite(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

export function stderrLine(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Colour obeys NO_COLOR / FORCE_COLOR and `--no-color`, and is off when stdout is not a terminal. */
export function useColor(flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(process.stdout.isTTY);
}

export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY);
}

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename, so a killed run
 * or a full disk leaves the previous file intact.
 */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  // node:crypto loads here, not at start-up (`cxm --help`).
  const { randomBytes } = await import('node:crypto');
  const temp = path.join(dir, `.cxm-tmp-${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(file)}`);
  pendingTemps.add(temp);
  try {
    await fs.writeFile(temp, content);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    const err = error as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOSPC'
        ? 'the disk is full'
        : err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS'
          ? 'permission denied (read-only folder?)'
          : err.code === 'ENOENT'
            ? 'the folder does not exist'
            : err.message;
    throw new CxmError('OUTPUT_UNWRITABLE', `cannot write ${file}: ${why}`, {
      where: { file },
      hint: 'choose another --out path; the previous file, if any, was left as it was',
      cause: error,
    });
  } finally {
    pendingTemps.delete(temp);
  }
}

/** Writes a result to `--out` (atomically) or to stdout. */
export async function emit(text: string, out: string | undefined): Promise<void> {
  if (out && out !== '-') await writeFileAtomic(out, text);
  else await stdoutWrite(text);
}
