/**
 * `pusher-conformance serve`: the reference server in the foreground until SIGINT/SIGTERM,
 * then a clean shutdown and exit 0.
 * @module
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import type { CliIo, ExitBox } from '../io.ts';
import { checkFaults } from '../options.ts';
import { configEnvHelp } from '../../../../reference-server/src/config-loader.ts';
import { CRASH_EVENT } from '../../../../reference-server/src/crash.ts';

/** exit code of a server that a crash fault brought down */
const CRASH_EXIT_CODE = 1;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerServe(program: Command, io: CliIo, exit: ExitBox): void {
  program
    .command('serve')
    .description('run the reference server (optionally with named faults switched on)')
    .option('--port <n>', 'port to listen on; 0 picks a free one (default 6001, or the config file)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--config <file>', 'reference server configuration (apps, credentials, limits)')
    .option('--fault <name>', 'switch on a named fault; repeatable', collect, [])
    .option('--cluster <url>', 'join the other nodes through Redis at this URL (redis://127.0.0.1:6379)')
    .addHelpText('after', () => `\nEnvironment (flags > environment > config file > defaults):\n${Object.entries(configEnvHelp).map(([name, what]) => `  ${name.padEnd(20)} ${what}`).join('\n')}\n\nWithout a config file: one app, id app-id, key app-key, secret app-secret, client events on.\n`)
    .action(async (flags: { port?: string; host?: string; config?: string; fault: string[]; cluster?: string }) => {
      let port: number | undefined;
      if (flags.port !== undefined) {
        if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got '${flags.port}'`);
        port = Number(flags.port);
      }
      const faults = checkFaults(flags.fault);
      const { runServe } = await import('../../../../reference-server/src/serve.ts');
      // Listen for signals before the server starts: the banner tells supervisors (and tests) that
      // the server is up, and a signal arriving before a handler exists would kill the process.
      let signalled: NodeJS.Signals | undefined;
      let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
      const handler = (signal: NodeJS.Signals): void => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
        if (onSignal) onSignal(signal);
        else signalled = signal;
      };
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      // a crash fault: die on the spot, as a server whose parser threw would (nothing is closed)
      (process as NodeJS.EventEmitter).once(CRASH_EVENT, (reason: string) => {
        io.stderr.write(`pusher-conformance: the reference server crashed (a crash fault): ${reason}\n`);
        process.exit(CRASH_EXIT_CODE);
      });

      let handle: Awaited<ReturnType<typeof runServe>>;
      try {
        handle = await runServe({ port, host: flags.host, configFile: flags.config, faults, cluster: flags.cluster, env: io.env, stdout: io.stdout, stderr: io.stderr });
      } catch (e) {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE') throw new UsageError(`cannot listen: address ${flags.host ?? '127.0.0.1'}:${port ?? 6001} is already in use (try --port 0)`);
        if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${flags.host ?? '127.0.0.1'}:${port ?? 6001}: ${err.code}`);
        throw new UsageError(String(err.message ?? err).split('\n')[0]);
      }
      await new Promise<void>((resolve, reject) => {
        const stop = (signal: NodeJS.Signals): void => {
          io.stderr.write(`pusher-conformance: ${signal} received, shutting down\n`);
          handle.close().then(resolve, reject);
        };
        if (signalled) stop(signalled);
        else onSignal = stop;
      });
      io.stderr.write('pusher-conformance: reference server stopped\n');
      exit.code = 0;
    });
}
