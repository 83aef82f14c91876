/**
 * Command-line inputs -> the list of files to read: files as given, directories walked for data
 * files, globs expanded, `-` kept for stdin.
 */

import { readdirSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type * as Tinyglobby from 'tinyglobby';
import { CxmError } from '../errors.js';
import { splitExtension } from './sniff.js';

let tinyglobby: Promise<typeof Tinyglobby> | undefined;

/**
 * tinyglobby (and picomatch under it) load when a directory or a pattern is expanded: a plain file
 * path needs neither, and one large file's run (and each of its worker threads) starts sooner.
 */
function globber(): Promise<typeof Tinyglobby> {
  return (tinyglobby ??= import('tinyglobby'));
}

/** Extensions read from directories and globs (each also with `.gz`, except `.xlsx`). */
export const DATA_EXTENSIONS = ['.csv', '.tsv', '.txt', '.json', '.ndjson', '.jsonl'] as const;

const LISTED = `${DATA_EXTENSIONS.join(' ')} (each optionally .gz) or .xlsx`;

const DIRECTORY_PATTERNS = [`**/*.{${DATA_EXTENSIONS.map((e) => e.slice(1)).join(',')}}{,.gz}`, '**/*.xlsx'];

/** Whether a file name looks like data cxm reads (extension check only). */
export function isDataFile(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  // `~$book.xlsx` is the lock file Excel leaves beside an open workbook.
  if (name.startsWith('.') || name.startsWith('~$')) return false;
  const { ext, gzip } = splitExtension(name);
  if (ext === '.xlsx') return !gzip;
  return (DATA_EXTENSIONS as readonly string[]).includes(ext);
}

/**
 * The sizes of the text data files under `directory` (what `expandInputs` would read there, less
 * workbooks, which are never read on several threads): a synchronous and bounded estimate, for
 * starting worker threads before anything else loads (cli/threads.ts `workersToPrestart`).
 * Hidden entries and node_modules are skipped as in `expandInputs`; symlinks are not followed.
 * Returns null when the walk meets more than `limit` entries or cannot read a directory.
 */
export function dataFileSizesSync(directory: string, limit = 10_000): number[] | null {
  const sizes: number[] = [];
  const pending = [directory];
  let seen = 0;
  try {
    while (pending.length > 0) {
      const dir = pending.pop()!;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (++seen > limit) return null;
        if (entry.name.startsWith('.')) continue;
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules') pending.push(join(dir, entry.name));
        } else if (entry.isFile() && isDataFile(entry.name) && splitExtension(entry.name).ext !== '.xlsx') {
          sizes.push(statSync(join(dir, entry.name)).size);
        }
      }
    }
  } catch {
    return null;
  }
  return sizes;
}

/** The file a path really names (through symlinks), to read each file once. */
async function realKey(absolute: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch {
    return absolute; // dangling or unreadable: reading it will say so
  }
}

function byPath(a: string, b: string): number {
  // Code-unit order, not locale order: the same on every machine.
  return a < b ? -1 : a > b ? 1 : 0;
}

async function kindOf(input: string, absolute: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    return (await stat(absolute)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new CxmError('INPUT_UNREADABLE', `${input}: cannot be read (${code ?? String(error)})`, {
      hint: 'check the permissions of the file and of the directories above it',
      cause: error,
    });
  }
}

async function expandDirectory(input: string, absolute: string): Promise<string[]> {
  const found = await (await globber()).glob(DIRECTORY_PATTERNS, {
    cwd: absolute,
    dot: false,
    ignore: ['**/node_modules/**'],
    onlyFiles: true,
    caseSensitiveMatch: false,
    expandDirectories: false,
  });
  // A symlinked copy, or a link back up the tree, leads to the same file: keep one path per real
  // file, preferring the one that goes through no symlink.
  const chosen = new Map<string, string>();
  for (const f of found.filter(isDataFile)) {
    const path = resolve(absolute, f);
    const real = await realKey(path);
    const current = chosen.get(real);
    const direct = path === real;
    const currentDirect = current !== undefined && resolve(absolute, current) === real;
    if (current === undefined || (direct && !currentDirect) || (direct === currentDirect && f.length < current.length)) {
      chosen.set(real, f);
    }
  }
  const files = [...chosen.values()].sort(byPath);
  if (files.length === 0) {
    throw new CxmError('NO_INPUT_DATA', `${input}: no data files in this directory (looked for ${LISTED})`, {
      hint: 'check that this is the right directory; hidden files and node_modules are skipped',
    });
  }
  // Keep the user's spelling of the directory (`./exports/`) in what is shown.
  const base = input.replace(/[\\/]+$/, '');
  return files.map((f) => `${base}/${f}`);
}

async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const found = await (await globber()).glob([pattern], {
    cwd,
    dot: false,
    ignore: ['**/node_modules/**'],
    onlyFiles: true,
    absolute: true,
    expandDirectories: false,
  });
  if (found.length === 0) {
    throw new CxmError('INPUT_NOT_FOUND', `${pattern}: no file matches this pattern`, {
      hint: `check the pattern and the working directory (${cwd})`,
    });
  }
  const files = found.filter(isDataFile);
  if (files.length === 0) {
    throw new CxmError('NO_INPUT_DATA', `${pattern}: matches ${found.length} file(s) but none is a data file (${LISTED})`, {
      hint: 'name a file directly to read it whatever its extension',
    });
  }
  const shown = files.map((f) => (isAbsolute(pattern) ? f : relative(cwd, f)));
  return shown.sort(byPath);
}

/**
 * Expands command-line inputs into the files to read, in a stable order: each input in turn; a
 * directory's data files (recursively, hidden files and `node_modules` skipped, `.csv .tsv .txt
 * .json .ndjson .jsonl`, each optionally `.gz`, and `.xlsx`) sorted by path; a glob's matching data
 * files sorted likewise; a file named directly whatever its extension; `-` kept as `-` (stdin).
 * Duplicates (the same file reached twice, also through symlinks) are dropped, keeping the first.
 * Paths are returned as the user wrote them (relative to `cwd`) for display.
 *
 * Throws `CxmError('INPUT_NOT_FOUND')` for a path that does not exist or a glob matching nothing,
 * and `CxmError('NO_INPUT_DATA')` for a directory (or glob) holding no data file.
 *
 * @example await expandInputs(['exports/', '-'], '/home/ana') // ['exports/nps.csv', 'exports/tickets.json.gz', '-']
 */
export async function expandInputs(inputs: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = async (shown: string): Promise<void> => {
    const key = shown === '-' ? '-' : await realKey(resolve(cwd, shown));
    if (seen.has(key)) return;
    seen.add(key);
    out.push(shown);
  };

  for (const input of inputs) {
    if (input === '-') {
      await add('-');
      continue;
    }
    const absolute = resolve(cwd, input);
    const kind = await kindOf(input, absolute);
    if (kind === 'directory') {
      for (const f of await expandDirectory(input, absolute)) await add(f);
    } else if (kind === 'file') {
      await add(input);
    } else if ((await globber()).isDynamicPattern(input)) {
      for (const f of await expandGlob(input, cwd)) await add(f);
    } else {
      throw new CxmError('INPUT_NOT_FOUND', `${input}: no such file or directory`, {
        hint: `check the spelling and the working directory (${cwd}); quote glob patterns ('exports/*.csv') so cxm expands them`,
      });
    }
  }
  return out;
}
