/**
 * Where a command writes and what environment it sees; the real process by default.
 * @module
 */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** Whether colour goes to this stream: picocolors' rule (NO_COLOR, FORCE_COLOR) plus a TTY check. */
export function colorFor(stream: CliIo['stdout'], env: NodeJS.ProcessEnv): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if ('FORCE_COLOR' in env && env.FORCE_COLOR !== '0') return true;
  return 'isTTY' in stream && stream.isTTY === true && env.TERM !== 'dumb';
}

/** The exit code a command action settles on; commander actions cannot return one. */
export interface ExitBox {
  code: number;
}
