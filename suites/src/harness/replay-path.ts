/**
 * The `--path` of a failed property case, as the report prints it and the CLI takes it back.
 *
 * A plain property replays from fast-check's counterexample path alone. A model-based case
 * (fc.commands) also needs the commands' replay path: which commands of each shrunk history
 * actually ran, since fast-check only shrinks over those. Walking the counterexample path without
 * it finds no command to keep and fails with "Unable to replay". Both travel in one argument,
 * `<counterexample path>@<commands replay path>`; neither alphabet has an `@` (the first is
 * digits and `:`, the second fast-check's base64 digits and `:`).
 * @module
 */

export interface ReplayPath {
  /** fast-check's `path` parameter (counterexamplePath) */
  readonly path: string;
  /** fc.commands' `replayPath` constraint, for model-based cases */
  readonly commands?: string;
}

const SEPARATOR = '@';
const PATH = /^\d+(?::\d+)*$/;
const COMMANDS = /^[A-Za-z0-9+/]*:[A-Za-z0-9+/]*$/;
/** how fast-check prints the replay path of a commands value (CommandsIterable.toString) */
const COMMANDS_METADATA = /\/\*replayPath="([^"]*)"\*\//g;

/** The one string `--path` takes. */
export function formatReplayPath(p: ReplayPath): string {
  return p.commands !== undefined ? `${p.path}${SEPARATOR}${p.commands}` : p.path;
}

/** Parses a `--path` argument; undefined when it is not one this module wrote. */
export function parseReplayPath(text: string): ReplayPath | undefined {
  const at = text.indexOf(SEPARATOR);
  const path = at < 0 ? text : text.slice(0, at);
  const commands = at < 0 ? undefined : text.slice(at + 1);
  if (!PATH.test(path)) return undefined;
  if (commands !== undefined && !COMMANDS.test(commands)) return undefined;
  return commands !== undefined ? { path, commands } : { path };
}

/**
 * The commands replay path printed in a stringified counterexample, when it holds exactly one
 * commands value (a second one could not be told apart on replay).
 */
export function commandsReplayPathOf(counterexample: string): string | undefined {
  const found = [...counterexample.matchAll(COMMANDS_METADATA)].map((m) => m[1]!);
  return found.length === 1 ? found[0] : undefined;
}
