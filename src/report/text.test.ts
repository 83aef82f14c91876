import { describe, expect, it } from 'vitest';
import { formatInt, neutralizeFormula, oneLine, sanitizeForTerminal } from './text.js';

const ESC = '\u001b';
const BEL = '\u0007';

describe('sanitizeForTerminal', () => {
  it('strips CSI colour sequences', () => {
    expect(sanitizeForTerminal(`${ESC}[31mred${ESC}[0m text`)).toBe('red text');
    expect(sanitizeForTerminal(`${ESC}[1;38;5;196mbold${ESC}[m`)).toBe('bold');
  });

  it('strips cursor movement and screen clearing', () => {
    expect(sanitizeForTerminal(`a${ESC}[2J${ESC}[H${ESC}[1Ab`)).toBe('ab');
  });

  it('strips OSC 8 hyperlinks (ST and BEL terminated) and keeps the visible text', () => {
    expect(sanitizeForTerminal(`${ESC}]8;;https://evil.example/${ESC}\\click me${ESC}]8;;${ESC}\\`)).toBe('click me');
    expect(sanitizeForTerminal(`${ESC}]8;;https://evil.example/${BEL}click${ESC}]8;;${BEL}`)).toBe('click');
    // an OSC that sets the window title
    expect(sanitizeForTerminal(`${ESC}]0;pwned${BEL}ok`)).toBe('ok');
  });

  it('strips BEL, backspace, CR, DEL and other C0 controls', () => {
    expect(sanitizeForTerminal(`ding${BEL}dong`)).toBe('dingdong');
    expect(sanitizeForTerminal('abc\b\b\bxyz')).toBe('abcxyz');
    expect(sanitizeForTerminal('fake\rreal')).toBe('fakereal');
    expect(sanitizeForTerminal('a\u0000b\u007fc\u000bd\u000ce')).toBe('abcde');
  });

  it('strips C1 controls, including a whole 8-bit CSI sequence (0x9b)', () => {
    expect(sanitizeForTerminal('\u009b31mred\u009b0m')).toBe('red');
    expect(sanitizeForTerminal('x\u0085y\u009fz')).toBe('xyz');
    expect(sanitizeForTerminal('\u009d8;;https://evil.example/\u009clink\u009d8;;\u009c')).toBe('link');
  });

  it('keeps newlines, tabs and ordinary Unicode', () => {
    expect(sanitizeForTerminal('line 1\nline 2\tcol')).toBe('line 1\nline 2\tcol');
    expect(sanitizeForTerminal('Devolución ñ € 😀 — «sí»')).toBe('Devolución ñ € 😀 — «sí»');
  });
});

describe('oneLine', () => {
  it('folds whitespace and newlines to single spaces and trims', () => {
    expect(oneLine('  Pedí una devolución.\nNadie responde.\t ')).toBe('Pedí una devolución. Nadie responde.');
  });
  it('sanitizes before folding', () => {
    expect(oneLine(`${ESC}[31mred${ESC}[0m\nnext`)).toBe('red next');
  });
  it('truncates with an ellipsis at max characters', () => {
    expect(oneLine('abcdefghij', 5)).toBe('abcd…');
    expect(oneLine('abcde', 5)).toBe('abcde');
  });
});

describe('neutralizeFormula', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1+2', "'+1+2"],
    ['+34 600 000 000', "'+34 600 000 000"],
    ['-2+3', "'-2+3"],
    ['-', "'-"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('%j -> %j', (cell, out) => {
    expect(neutralizeFormula(cell)).toBe(out);
  });

  it.each(['-12.5', '-12,5', '+7', '-1e3', '1e3', '12', 'plain text', 'a=b', '', "'=already"])('keeps %j', (cell) => {
    expect(neutralizeFormula(cell)).toBe(cell);
  });
});

describe('formatInt', () => {
  it('groups thousands', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(-1200)).toBe('-1,200');
  });
});
