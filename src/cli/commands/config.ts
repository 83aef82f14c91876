/**
 * `cxm config schema`: the JSON Schema of cxm.config.json, derived from the zod schema, for
 * editors and validation in CI. `cxm config check` validates a config file.
 */
import { Command, Option } from 'commander';
import { emit, stdoutWrite } from '../io.js';

export function defineConfigCommand(program: Command): Command {
  const config = program.command('config').summary('print the config JSON Schema, or validate a config file');
  config.description('Work with the mapping and settings file (cxm.config.json or cxm.config.yaml).');
  config.addHelpText('after', '\nExamples:\n  cxm config schema > cxm.schema.json\n  cxm config check\n  cxm config check fixtures/configs/comcast-complaints.json');
  config
    .command('schema')
    .description('Print the JSON Schema of the config file (generated from the same zod schema cxm validates with).')
    .addOption(new Option('-o, --out <file>', 'write it to this file (atomically)'))
    .addHelpText('after', '\nExamples:\n  cxm config schema > cxm.schema.json\n  cxm config schema --out .vscode/cxm.schema.json')
    .action(async (raw: { out?: string }) => {
      const { configJsonSchema } = await import('../../schema/config.js');
      await emit(`${JSON.stringify(configJsonSchema(), null, 2)}\n`, raw.out);
    });
  config
    .command('check')
    .description('Validate a config file and print "ok", or the keys that are wrong (exit 2).')
    .argument('[file]', 'the config file (default: ./cxm.config.json or .yaml)')
    .addHelpText('after', '\nExamples:\n  cxm config check\n  cxm config check exports/cxm.config.yaml')
    .action(async (file: string | undefined) => {
      const { loadConfig } = await import('../options.js');
      const { configPath } = await loadConfig(file, process.cwd());
      await stdoutWrite(configPath ? `ok: ${configPath} is a valid cxm config\n` : 'no config file found (cxm.config.json / .yaml); defaults apply\n');
    });
  return config;
}
