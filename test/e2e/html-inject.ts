/**
 * Hostile exports for the HTML report tests (html.test.ts, browser.test.ts): markup in survey
 * comments, in a survey channel and in a ticket channel. The comments are worded so that the
 * drivers' comment themes pick their words (20 detractors all say "llegó tarde", 20 promoters
 * all say "perfecto, rápido…": as many words on each side, so both sides' terms clear |z| > 1.96),
 * which puts the hostile comment into the page as a theme's example.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './run.js';

export const SCRIPT_COMMENT = '<script>window.__pwned=1</script> llegó tarde otra vez';
export const IMG_CHANNEL = '<img src=x onerror="window.__pwned=2">';
export const SCRIPT_CHANNEL = '<script>window.__pwned=3</script>';
export const PROMOTER_COMMENT = 'perfecto, rápido, amable, puntual, gracias, genial';

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes surveys.csv and tickets.csv into a new temporary folder and returns it. */
export function writeHostileExports(): string {
  const dir = tempDir('cxm-html-inject-');
  const surveys = ['response_id,submitted_at,customer_id,channel,nps,comment'];
  for (let i = 0; i < 40; i++) {
    const detractor = i % 2 === 0;
    const day = String(1 + (i % 28)).padStart(2, '0');
    surveys.push(
      [`r${i}`, `2025-03-${day}T10:00:00Z`, `c${i}`, detractor ? IMG_CHANNEL : 'email', detractor ? '2' : '10', detractor ? SCRIPT_COMMENT : PROMOTER_COMMENT].map(csvCell).join(','),
    );
  }
  const tickets = ['ticket_id,created_at,customer_id,channel,type'];
  for (let i = 0; i < 30; i++) {
    const day = String(1 + (i % 27)).padStart(2, '0');
    tickets.push([`t${i}`, `2025-02-${day}T09:00:00Z`, `c${i}`, i % 3 === 0 ? SCRIPT_CHANNEL : 'chat', 'complaint'].map(csvCell).join(','));
  }
  writeFileSync(path.join(dir, 'surveys.csv'), `${surveys.join('\n')}\n`);
  writeFileSync(path.join(dir, 'tickets.csv'), `${tickets.join('\n')}\n`);
  return dir;
}
