/**
 * Text helpers every renderer shares: terminal sanitising (untrusted text never reaches a
 * terminal with control sequences in it), spreadsheet formula neutralising, number formatting.
 */

// C0 controls except tab and newline, DEL, and C1 controls (which some terminals obey as CSI/OSC).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// 7-bit (ESC [, ESC ]) and 8-bit (0x9b CSI, 0x9d OSC) forms, so no parameters are left behind as text.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;

/** Strips escape sequences (CSI, OSC) and every other control character except tab and newline. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}

/** Same, and newlines/tabs folded to spaces: for a table cell or a one-line message. */
export function oneLine(text: string, max = 80): string {
  const clean = sanitizeForTerminal(text).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"): a cell that begins with
 * `=`, `+`, `-`, `@`, tab or CR is prefixed with a single quote. Plain numbers (`-12.5`) are
 * left alone so they stay numbers.
 */
export function neutralizeFormula(cell: string): string {
  if (cell === '') return cell;
  const first = cell[0]!;
  if (first === '=' || first === '+' || first === '-' || first === '@' || first === '\t' || first === '\r') {
    if (/^[-+]?\d+([.,]\d+)?(e[-+]?\d+)?$/i.test(cell)) return cell;
    return `'${cell}`;
  }
  return cell;
}

export function formatInt(n: number): string {
  return n.toLocaleString('en-US');
}
