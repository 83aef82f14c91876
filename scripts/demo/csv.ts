/** Minimal RFC 4180 writing: quote a field only when it needs it. */

export function csvField(value: string | number | null | undefined, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : value;
  if (s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r') || s !== s.trim()) {
    return '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

export function csvLine(fields: readonly (string | number | null | undefined)[], delimiter: string): string {
  return fields.map((f) => csvField(f, delimiter)).join(delimiter);
}

/** `1234.5` -> `1234.50` */
export function money(n: number): string {
  return n.toFixed(2);
}

/** Spanish money: `1234.5` -> `1.234,50`, `59.9` -> `59,90`. */
export function moneyEs(n: number): string {
  const [int = '0', dec = '00'] = Math.abs(n).toFixed(2).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (n < 0 ? '-' : '') + grouped + ',' + dec;
}

/** Rounds to cents. */
export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
