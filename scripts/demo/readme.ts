/** The README that travels with the generated files (row counts and measured effects filled in). */
import * as M from './model.js';
import type { GenerateResult, GroupValue } from './index.js';
import { HEADERS } from './output.js';
import { DAY_MS, ymd } from './time.js';

const int = (n: number): string => n.toLocaleString('en-US');
const pts = (n: number): string => (n >= 0 ? '+' : '') + n.toFixed(1);
const pct = (n: number): string => (100 * n).toFixed(1) + '%';
const pp = (n: number): string => (n >= 0 ? '+' : '') + (100 * n).toFixed(1) + ' pp';
const kb = (n: number): string => (n / 1024).toFixed(0) + ' KB';
const npsGroup = (g: GroupValue): string => `NPS ${pts(g.value)} (n = ${int(g.n)})`;
const satGroup = (g: GroupValue): string => `${pct(g.value)} satisfied (n = ${int(g.n)})`;

export function renderReadme(r: GenerateResult): string {
  const m = r.measured;
  const rows = new Map(r.files.map((f) => [f.name, f.rows]));
  const row = (name: string): string => int(rows.get(name) ?? 0);
  const isDefault = r.customers === M.DEFAULT_CUSTOMERS && r.seed === M.DEFAULT_SEED;
  const rr = (key: string): string => {
    const v = m.responseRates[key];
    return v ? `${pct(v.rate)} (${int(v.answered)} of ${int(v.invited)})` : 'n/a';
  };
  const E = M.EFFECTS;
  const lines: string[] = [];
  const p = (...ls: string[]): void => {
    lines.push(...ls);
  };

  p(
    '# Verdemar demo exports',
    '',
    'Fictional data, generated. **Verdemar** is a Spanish-English home-goods retailer (bedding, kitchen, furniture,',
    'and a "smart home" line that needs installing) selling online (web and app) and in its stores, mostly to',
    'consumers (B2C) and partly to businesses such as hotels and offices (B2B). Its systems export what a CX analyst',
    'would be handed: a CRM customer list, the web shop orders, the Spanish returns desk spreadsheet, two survey tools,',
    'a Zendesk-style ticket desk, the contact-centre log, ERP invoices, social listening, staff pulse feedback, B2B',
    'deals and installation records.',
    '',
    `- Period: ${'2024-12-01'} to ${'2025-12-31'} (13 months), local time Europe/Madrid; the files were "pulled" at midnight on 1 January 2026,`,
    '  so tickets, orders and surveys still in progress at that point look that way.',
    `- ${int(r.customers)} customers (${isDefault ? 'the default' : 'not the default size'}), seed ${r.seed}. Customer ids (\`C00001\`…) link every file.`,
    '- Everything here is produced by `scripts/generate-demo.ts`; do not edit the files by hand.',
    '',
    '## Regenerate',
    '',
    '```sh',
    'npm run build',
    'npm run demo                      # node dist/scripts/generate-demo.js: writes fixtures/demo (2,000 customers, seed 42)',
    'node dist/scripts/generate-demo.js --out /tmp/verdemar-big --customers 200000   # a large version (do not commit)',
    'node dist/scripts/generate-demo.js --seed 7 --out /tmp/verdemar-7              # another world',
    '```',
    '',
    'The same seed and size give byte-identical files (own mulberry32 generator, no clock, no locale).',
    `The default set must stay under ${M.SIZE_LIMIT_BYTES / 1024 / 1024} MB; \`scripts/generate-demo.test.ts\` checks it, checks that the committed`,
    'files are what the generator writes, and recomputes the planted effects from the raw rows.',
    '',
    '## Row counts',
    '',
    'Rows are records after the header; a quoted line break does not start a new record; the duplicated tickets count.',
    '',
    '| file | rows | size |',
    '| --- | ---: | ---: |',
    ...r.files.map((f) => `| \`${f.name}\` | ${f.rows} | ${kb(f.bytes)} |`),
    '',
    `Total: ${(r.totalBytes / 1024 / 1024).toFixed(2)} MB including this README.`,
    '',
    '## Files',
    '',
  );

  const file = (name: string, what: string, format: string[], header: string | null, notes: string[]): void => {
    p(`### \`${name}\` (${row(name)} rows)`, '', what, '', ...format.map((f) => `- ${f}`));
    if (header !== null) p('- Header:', '', '  ```', '  ' + header, '  ```');
    if (notes.length > 0) p(...notes.map((n) => `- ${n}`));
    p('');
  };

  file(
    'customers.csv',
    'The CRM customer list: everyone active at the start of the period or signed up during it.',
    ['UTF-8, no BOM, `,`, LF; dates `yyyy-mm-dd`; money with a decimal point.'],
    HEADERS.customers,
    [
      'Ids ascend with `signup_date`. `segment` `b2c`/`b2b` (~85/15); `plan` is the Verdemar Club tier `basic`/`plus`/`pro`; `monthly_revenue` is the average monthly spend; `status` `active`/`churned`; `churn_date` only when churned.',
      '`region`: Spanish autonomous communities plus `United Kingdom` (values contain accents and spaces).',
    ],
  );
  file(
    'orders.ndjson',
    'Web shop / ERP orders, one JSON object per line.',
    [
      'UTF-8 NDJSON; `ordered_at`, `delivered_at` ISO 8601 with the Madrid offset (`+01:00` in winter, `+02:00` in summer); `promised_date` `yyyy-mm-dd`.',
      'Keys: `order_id` (`O000001`), `customer_id`, `ordered_at`, `channel` (`web`/`store`/`app`), `amount` (a JSON number), `promised_date`, `delivered_at`, `status`, `items`.',
    ],
    null,
    [
      '`status`: `delivered`; `cancelled` (no `delivered_at`); `shipped`/`processing` for orders not yet delivered when the data was pulled (`delivered_at` null).',
      `Late = delivered on a local date after \`promised_date\`: ${pct(m.lateShare)} of delivered orders (7-8% most months, 12% in January, 14% in November, 18% in December).`,
      'Store orders are home deliveries of in-store purchases (stores are closed on Sundays and holidays).',
    ],
  );
  file(
    'devoluciones.csv',
    'The returns desk spreadsheet, in Spanish (one row per return).',
    [
      '**Windows-1252**, `;` delimiter, **CRLF**, no BOM; `Fecha devolución` is `dd/mm/yyyy` (the first rows already have days above 12);',
      '`Importe` with a decimal comma and thousands dots (`59,90`, `1.234,56`).',
    ],
    HEADERS.returns,
    [
      `Ids \`DEV-00001\`…; \`Nº pedido\` is the order id of \`orders.ndjson\`. ${pct(m.returnRate)} of delivered orders are returned (late ones 1.7 times as often, B2B about half as often).`,
      '`Motivo`: `Talla incorrecta`, `Producto dañado`, `No es lo que esperaba`, `Llegó tarde`, `Cambio de opinión`.',
    ],
  );
  file(
    'encuestas_nps.csv',
    'The NPS survey tool (Spanish): relational waves and transactional surveys, one row per invitation.',
    [
      'UTF-8 **with BOM**, `;` delimiter, LF; `Fecha` is local `dd/mm/yyyy HH:mm` (send time for `Enviada`, answer time for `Respondida`).',
    ],
    HEADERS.nps,
    [
      '`Canal`: `Correo electrónico`, `Web`, `Teléfono` (IVR after a call), `Tienda` (QR on the store receipt), `App`. `Tipo de encuesta`: `relacional` / `transaccional`.',
      '`Puntuación` 0-10, blank when `Estado` is `Enviada` (invited, no answer); `Respondida` rows have a score.',
      'Transactional surveys follow a delivery, a return, an installation or a call; relational waves go to every B2B customer quarterly and to a 30% sample of B2C customers twice a year.',
      `Response rates: B2C transactional ${rr('b2c/transaccional')}, B2B relational ${rr('b2b/relacional')}, B2C relational ${rr('b2c/relacional')}, B2B transactional ${rr('b2b/transaccional')}.`,
      '`Comentario`: Spanish free text for about 40% of answers; a few contain `;` or `"` (quoted per RFC 4180) and one contains a line break inside its quotes.',
    ],
  );
  file(
    'csat_survey.csv',
    'The English post-contact survey: CSAT and CES after a solved ticket (answers only).',
    ['UTF-8, `,`, LF; `submitted_at` ISO 8601 UTC with `Z`.'],
    HEADERS.csat,
    [
      '`csat` 1-5 (4-5 = satisfied); `ces` 1-7 on an agreement scale (7 = very easy); `ticket_id` is the numeric id in `tickets.json`; `channel` is the ticket channel.',
      'The same score appears as `satisfaction_rating.score` on the ticket. `comment`: English free text for about 35% of answers.',
    ],
  );
  file(
    'tickets.json',
    'A Zendesk-style export: `{"tickets":[…],"next_page":null,"count":N}`, one ticket object per line.',
    [
      'UTF-8 JSON; every timestamp ISO 8601 UTC with `Z`; `count` is the length of the array (duplicates included).',
      'Ticket keys: `id` (number), `created_at`, `updated_at`, `solved_at`, `first_reply_at` (null when not yet), `type`, `priority`, `status`, `via.channel`, `requester_external_id` (customer id), `group`, `assignee`, `category`, `metrics.replies`, `metrics.reopens`, `satisfaction_rating.score` (1-5 or null), `subject`.',
    ],
    null,
    [
      'Email and web-form tickets arrive at any hour, nights and weekends included; chat and phone only in desk hours. The desk works Mon-Fri 08:00-20:00 and Sat 09:00-14:00 (Madrid), closed on national holidays, so first replies take minutes inside hours and until the next opening outside them; resolutions take hours to days.',
      '`status` as of the pull: solved tickets close 4 days after `solved_at` (`updated_at` = that moment); tickets not yet answered are `new`; unresolved ones `open`/`pending`.',
      'Subjects are English or Spanish and name the order, return or invoice they are about.',
    ],
  );
  file(
    'llamadas.csv',
    'The contact-centre call log (Spanish headers).',
    ['UTF-8, `,`, LF; `Fecha` `dd/mm/yyyy`, `Hora` `HH:MM:SS` local; durations in whole seconds.'],
    HEADERS.calls,
    [
      'Lines are open Mon-Fri 09:00-21:00 and Sat 10:00-14:00. `Atendida` `Sí`/`No`; abandoned calls have only `Espera (s)` (some under 5 s) and blank talk, hold, wrap, first-contact resolution, agent and `Satisfacción`.',
      '`Satisfacción` 1-5 for about 30% of answered calls. Queues: `Pedidos`, `Devoluciones`, `Facturación`, `Instalaciones`, `Atención general`. Waits grow in November-December, on Mondays and late mornings.',
    ],
  );
  file(
    'invoice_changes.csv',
    'The ERP invoice register: every invoice issued (one per order) and what happened to it.',
    ['UTF-8, `,`, LF; `issued_at` and `changed_at` `yyyy-mm-dd`; `amount` with a decimal point.'],
    HEADERS.invoices,
    [
      `\`change_type\`: \`none\` (\`changed_at\` and \`reason\` blank), \`correction\`, \`credit_note\`, \`cancellation\` (cancelled orders): ${pct(m.invoiceChangeShare)} changed.`,
      '`amount` is the invoice amount, or the credited amount for a credit note.',
    ],
  );
  file(
    'social_mentions.csv',
    'Social listening export.',
    ['UTF-8, `,`, LF; `posted_at` ISO 8601 UTC with `Z`.'],
    HEADERS.social,
    [
      '`platform` `twitter`/`instagram`/`facebook`/`trustpilot`; `type` `complaint`/`mention`/`review`/`praise`; `rating` 1-5 only for reviews.',
      'Texts in English and Spanish (some quoted). Complaints and low ratings rise with the share of late deliveries in the previous week.',
    ],
  );
  file(
    'employee_feedback.csv',
    'Front-line staff weekly pulse: how frustrating a process is to work with.',
    ['UTF-8, `,`, LF; `submitted_at` `yyyy-mm-dd`.'],
    HEADERS.employee,
    [
      '`frustration` 1-5 (5 = very frustrating); `area`: `returns process`, `billing system`, `delivery tracking`, `stock visibility`, `knowledge base`, `checkout tills`, `smart home installs`, `scheduling`.',
      '`delivery tracking` frustration follows the late-delivery share, `returns process` the returns volume.',
    ],
  );
  file(
    'deals.csv',
    'B2B sales pipeline.',
    ['UTF-8, `,`, LF; dates `yyyy-mm-dd`; `closed_at` blank while `open`.'],
    HEADERS.deals,
    ['`stage` `won`/`lost`/`open`. Every B2B customer who signed up in the period has a won deal closing on its signup date (some created before the period).'],
  );
  file(
    'onboarding.csv',
    'Installations of the smart-home line (B2C and B2B), one per customer.',
    ['UTF-8, `,`, LF; dates `yyyy-mm-dd`; `installed_at` blank when `success` is `no`.'],
    HEADERS.onboarding,
    [`\`success\` \`yes\`/\`no\` after 1-3 \`attempts\`; ${pct(m.installFailureShare)} fail. Installations still in progress when the data was pulled are not listed.`],
  );

  p(
    '## Planted relationships',
    '',
    'Each is planted in the simulation (`scripts/demo/model.ts`, `EFFECTS`): when a survey answer is scored, or a',
    "customer's churn is drawn for the day, the exposures that customer has by then (with the instants the files show)",
    'shift the odds. The last column recomputes the raw difference from the generated rows, with and without the',
    'exposure exactly as the first column defines it (`scripts/generate-demo.test.ts` does the same from the files).',
    '',
    '| exposure → outcome | how it is planted | target (raw difference) | measured in these files |',
    '| --- | --- | --- | --- |',
    `| a return (\`Fecha devolución\`) in the ${E.npsReturn.windowDays} days before an NPS answer → lower NPS | promoter probability −${-E.npsReturn.npsPoints / 2} and detractor probability +${-E.npsReturn.npsPoints / 2} points for that answer (${E.npsReturn.npsPoints} NPS points) | ${E.npsReturn.target} NPS points | ${npsGroup(m.npsReturn.exposed)} vs ${npsGroup(m.npsReturn.unexposed)}: **${pts(m.npsReturn.difference)} points** (z = ${m.npsReturn.z.toFixed(1)}) |`,
    `| a failed installation (\`onboarding.csv\` \`success\` = \`no\`) → NPS answers from its \`started_at\` to ${E.npsFailedInstall.windowDays} days after | promoter −${-E.npsFailedInstall.npsPoints / 2}, detractor +${-E.npsFailedInstall.npsPoints / 2} points (${E.npsFailedInstall.npsPoints} NPS points) | ${E.npsFailedInstall.target} NPS points | ${npsGroup(m.npsFailedInstall.exposed)} vs ${npsGroup(m.npsFailedInstall.unexposed)}: **${pts(m.npsFailedInstall.difference)} points** (z = ${m.npsFailedInstall.z.toFixed(1)}) |`,
    `| an invoice \`correction\` or \`credit_note\` (\`changed_at\`) in the ${E.csatInvoice.windowDays} days before a CSAT answer → lower CSAT | probability of a 4-5 answer −${-E.csatInvoice.satisfiedShare * 100} points | ${pp(E.csatInvoice.target)} satisfied | ${satGroup(m.csatInvoice.exposed)} vs ${satGroup(m.csatInvoice.unexposed)}: **${pp(m.csatInvoice.difference)}** (z = ${m.csatInvoice.z.toFixed(1)}) |`,
    `| a late delivery (\`delivered_at\` on a local date after \`promised_date\`) in the ${E.csatLate.windowDays} days before a CSAT answer → lower CSAT | probability of a 4-5 answer −${-E.csatLate.satisfiedShare * 100} points | ${pp(E.csatLate.target)} satisfied | ${satGroup(m.csatLate.exposed)} vs ${satGroup(m.csatLate.unexposed)}: **${pp(m.csatLate.difference)}** (z = ${m.csatLate.z.toFixed(1)}) |`,
    `| a reopened ticket (\`metrics.reopens\` > 0) → churn (\`churn_date\`) in the ${E.churnReopen.windowDays} days after its \`created_at\` | daily churn hazard ×${E.churnReopen.hazardRatio} for ${E.churnReopen.windowDays} days | ${E.churnReopen.target}x churn | tickets created by ${ymd(M.END_MS - E.churnReopen.windowDays * DAY_MS)} (90 days of follow-up): ${pct(m.churnReopen.exposed.value)} of reopened ones (n = ${int(m.churnReopen.exposed.n)}) vs ${pct(m.churnReopen.unexposed.value)} of the others (n = ${int(m.churnReopen.unexposed.n)}) are followed by the customer's churn: **${m.churnReopen.ratio.toFixed(2)}x** (z = ${m.churnReopen.z.toFixed(1)} on the log ratio) |`,
    '',
    'Why the planted NPS shifts are larger than the targets: the shift applies inside one answer, but the answers',
    'that follow a return or an installation are mostly B2C transactional ones, which score higher than the B2B and',
    'relational answers they are compared with, so the raw difference comes out smaller. The planted sizes are',
    'calibrated so the raw difference lands on the target on average over seeds 1-30; single seeds scatter around it',
    '(about ±5 NPS points for returns, ±9 for failed installations, ±5 pp for the two CSAT effects, ±0.5 for the churn ratio).',
    '`z` is the difference over its standard error (normal approximation); |z| > 2.6 is p < 0.01.',
    '',
    'The effects stack (a customer with a return and a failed installation loses both). Returns, late deliveries,',
    'invoice changes and failed installations also *cause* tickets, calls and surveys (a late parcel brings a',
    '"where is my order" ticket, a return a post-return survey, a failed install an incident ticket and a call), so most',
    'exposed answers come from the contact the failure itself triggered, as in real life.',
    '',
    '### Background (plausible, weaker, not the point of the exercise)',
    '',
    `- Seasonality: orders ×1.5 in November and ×1.7 in December, January sales, an August lull; tickets and calls follow; late deliveries peak in December.`,
    '- Weekdays: more orders on Saturdays, stores closed on Sundays, Monday ticket backlog and longer Monday call waits.',
    `- Churn: about 2% a month (Club \`basic\` 2.5%, \`plus\` 1.8%, \`pro\` 1.2%, B2B at 65% of that); measured ${pct(m.monthlyChurn)} a month.`,
    `- NPS by channel (measured): ${Object.entries(m.npsByCanal)
      .map(([k, v]) => `${k} ${pts(v.value)} (n = ${int(v.n)})`)
      .join(', ')}. \`Teléfono\` is planted ${M.BACKGROUND.npsChannel['Teléfono']} points, \`Tienda\` +${M.BACKGROUND.npsChannel['Tienda']}, \`App\` +${M.BACKGROUND.npsChannel['App']}; relational surveys score lower than transactional ones, B2B lower than B2C, December ${M.BACKGROUND.npsDecember}.`,
    `- Also lowering NPS, more weakly: a late delivery in the 30 days before (${M.BACKGROUND.npsLate.npsPoints} points) and an invoice change in the 60 days before (${M.BACKGROUND.npsInvoice.npsPoints}). A reopened ticket lowers its own CSAT (${pp(M.BACKGROUND.csatReopened)}).`,
    `- Overall: ${npsGroup(m.npsOverall)}; CSAT ${satGroup(m.csatSatisfied)}.`,
    '- Comment words: detractors write about `tarde`, `devolución`, `factura`, `nadie responde` (and the installation when it failed); promoters about `rápido`, `amable`, `calidad`. CSAT comments: `late`, `invoice`, `refund`, `no one answers` versus `quick`, `friendly`, `helpful`.',
    '',
    '## Blemishes (the pipeline must cope)',
    '',
    `- \`tickets.json\`: 3 exact duplicate ticket objects (ids ${r.blemishes.duplicatedTickets.join(', ')}), repeated right after themselves as a re-export page overlap; \`count\` includes them, so de-duplication by id must drop 3.`,
    `- \`encuestas_nps.csv\`: 2 \`Respondida\` rows with an out-of-range \`Puntuación\` (\`11\` and \`-1\`; ids ${r.blemishes.outOfRange.join(', ')}) that must be rejected.`,
    `- \`encuestas_nps.csv\`: 1 answered row with a blank \`Cliente\` (id ${r.blemishes.blankCustomer.join(', ')}): a valid answer that links to no customer.`,
    `- \`encuestas_nps.csv\`: 1 comment with a line break inside its quotes (id ${r.blemishes.multiline.join(', ')}), so the file has one more physical line than records + header.`,
    '- Not blemishes but traps: `devoluciones.csv` is Windows-1252 with decimal commas and day-first dates; `encuestas_nps.csv` starts with a BOM; `orders.ndjson` mixes `+01:00` and `+02:00`; tickets use UTC `Z` while the Spanish files are local time.',
    '',
  );
  return lines.join('\n');
}
