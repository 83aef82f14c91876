/**
 * `cxm inspect`: what each input was read as — format, encoding, delimiter, kind and why, column
 * mapping, date order, row accounting, date range — and the first rejected rows with reasons.
 */
import { Command, Option } from 'commander';
import { emit, useColor } from '../io.js';
import { inputOptions, invalidOption } from '../options.js';

export function defineInspect(program: Command): Command {
  const command = program
    .command('inspect')
    .summary('show how each input file is read: kind, columns, dates, rejects')
    .description(
      `Show how cxm reads each input: its format, encoding and delimiter, the record kind chosen and why, which column became which field (and which were kept as attributes), the date order, the row accounting (read = accepted + duplicate + rejected) and the first rejected rows with file, line, column and reason.

Inputs are files, directories (read recursively), globs or - for stdin: .csv .tsv .txt .json .ndjson .jsonl, each possibly .gz. Reading streams: memory stays flat whatever the file size.`,
    )
    .argument('[inputs...]', 'files, directories, globs, or - for stdin (default: the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json'] as const).default('table'))
    .addOption(new Option('-o, --out <file>', 'write the output to this file (atomically) instead of stdout'))
    .addOption(new Option('--show-rejects <n>', 'rejects listed per file').default('20'));
  for (const option of inputOptions()) command.addOption(option);
  command.addHelpText(
    'after',
    `
Inspect never fails on rejects: it exits 0 and lists them (use report or check to enforce --max-reject-rate).

Examples:
  cxm inspect fixtures/demo/
  cxm inspect exports/*.csv --format json > inspect.json
  cat export.csv | cxm inspect - --delimiter ';' --date-order dmy`,
  );
  command.action(async (inputs: string[], raw: Record<string, unknown>) => {
    // Checked before reading: a typo here must not cost a pass over the inputs.
    if (!/^\d+$/.test(String(raw.showRejects))) throw invalidOption('--show-rejects', 'a whole number (0 or more)', raw.showRejects);
    const { loadInputs } = await import('../inputs.js');
    const { buildInspectModel } = await import('../../report/inputs.js');
    const { dataset, options } = await loadInputs(inputs, raw, { enforceRejectRate: false });
    const model = buildInspectModel(dataset, Number(raw.showRejects));
    if (raw.format === 'json') {
      await emit(`${JSON.stringify(model, null, 2)}\n`, raw.out as string | undefined);
    } else {
      const { renderInspectTable } = await import('../../report/render-inspect.js');
      await emit(renderInspectTable(model, { color: raw.out ? false : useColor(options.color) }), raw.out as string | undefined);
    }
  });
  return command;
}
