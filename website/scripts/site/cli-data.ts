/** The CLI's commands and options as data for the guides, read from the commander program itself. */
import { createProgram } from '../../../suites/src/cli/main.ts';
import { processIo } from '../../../suites/src/cli/io.ts';

export function cliData() {
  const program = createProgram(processIo(), { code: 0 });
  return program.commands.map((c) => ({
    name: c.name(),
    usage: c.usage(),
    description: c.description(),
    options: c.options.map((o) => ({ flags: o.flags, description: o.description, default: o.defaultValue === undefined ? null : String(o.defaultValue) })),
  }));
}
