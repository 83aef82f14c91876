/**
 * `cxm metrics`: the catalogue — id, label, unit, direction, what it needs, its formula.
 */
import { Command, Option } from 'commander';
import { emit } from '../io.js';

export function defineMetrics(program: Command): Command {
  return program
    .command('metrics')
    .summary('list every metric: id, unit, direction, needs, formula')
    .description('List the metric catalogue. Metric ids are what --metrics, checks and exports name.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'md'] as const).default('table'))
    .addHelpText('after', '\nExamples:\n  cxm metrics\n  cxm metrics --format md > METRICS.md')
    .action(async (raw: { format: string }) => {
      const { METRICS } = await import('../../metrics/registry.js');
      const { renderCatalogue } = await import('../../report/render-catalogue.js');
      const rows = METRICS.map((m) => ({ id: m.id, label: m.label, domain: m.domain, unit: m.unit, direction: m.direction, kinds: [...m.kinds], needs: m.needs, formula: m.formula }));
      if (raw.format === 'json') {
        // `streaming`: computed while a large export is read, without keeping its records (README, "Benchmark").
        const json = rows.map((row, i) => ({ ...row, streaming: METRICS[i]!.streaming === true && METRICS[i]!.scope !== 'snapshot' }));
        return emit(`${JSON.stringify({ metrics: json }, null, 2)}\n`, undefined);
      }
      return emit(renderCatalogue(rows, raw.format === 'md' ? 'md' : 'table'), undefined);
    });
}
