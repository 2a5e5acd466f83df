/**
 * The `pusher-conformance` command line: run, doctor, list, explain, serve, compare.
 * Exit codes: 0 conformant, 1 conformance failures, 2 setup/usage/harness error, 3 incomplete.
 * User errors are one plain line on stderr, never a stack trace.
 *
 * @example
 * npx pusher-conformance run --ws ws://127.0.0.1:6001 --http http://127.0.0.1:6001 \
 *   --app-id app-id --key app-key --secret app-secret --profile soketi --report junit,md
 * @module
 */
import { Command, CommanderError } from 'commander';
import { ReportFileError } from '../reports/json.ts';
import { HarnessError } from '../model/outcome.ts';
import { suiteVersion } from '../runner/package-info.ts';
import { registerBench } from './commands/bench.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerExplain } from './commands/explain.ts';
import { registerList } from './commands/list.ts';
import { registerRun } from './commands/run.ts';
import { registerServe } from './commands/serve.ts';
import { UsageError } from './errors.ts';
import { processIo } from './io.ts';
import type { CliIo, ExitBox } from './io.ts';

export function createProgram(io: CliIo, exit: ExitBox): Command {
  const program = new Command('pusher-conformance')
    .description('Conformance suite for the Pusher Channels protocol: run it against any Pusher-compatible server.')
    .version(suiteVersion, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(`pusher-conformance: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 conformant, 1 conformance failures, 2 setup/usage/harness error, 3 incomplete run.\nWith no target flags, run and doctor use the embedded reference server.',
    );
  registerRun(program, io, exit);
  registerDoctor(program, io, exit);
  registerList(program, io, exit);
  registerExplain(program, io, exit);
  registerServe(program, io, exit);
  registerCompare(program, io, exit);
  registerBench(program, io, exit);
  return program;
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.split('\n')[0]!.trim() || 'unknown error';
}

/** Parses argv (node-style, starting with the executable), runs the command, returns the exit code. */
export async function main(argv: readonly string[] = process.argv, io: CliIo = processIo()): Promise<number> {
  const exit: ExitBox = { code: 0 };
  const program = createProgram(io, exit);
  try {
    await program.parseAsync([...argv]);
    return exit.code;
  } catch (e) {
    // Commander already printed its one-line message (or the help/version text).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    // a setup problem (webhook port in use, bad baseline, target command that never got ready) is
    // the harness's one-line explanation; "unexpected error" is kept for real bugs
    if (e instanceof UsageError || e instanceof ReportFileError || HarnessError.is(e)) {
      io.stderr.write(`pusher-conformance: ${oneLine(e)}\n`);
      return 2;
    }
    io.stderr.write(`pusher-conformance: unexpected error: ${oneLine(e)}\n`);
    if (io.env.PUSHER_CONFORMANCE_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return 2;
  }
}
