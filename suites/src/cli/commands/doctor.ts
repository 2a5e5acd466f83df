/**
 * `pusher-conformance doctor`: the setup checks alone (reachable, WebSocket endpoint, key,
 * secret, clock, webhooks), each printed with ✓/✗. Exit 0 when every check is ok, else 2.
 * @module
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadConfigFile } from '../config-file.ts';
import type { CliIo, ExitBox } from '../io.ts';
import { colorFor } from '../io.ts';
import { addTargetOptions, resolveRunSettings } from '../options.ts';
import type { RunFlags } from '../options.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

type DoctorFlags = Pick<
  RunFlags,
  'ws' | 'http' | 'appId' | 'key' | 'secret' | 'config' | 'name' | 'profile' | 'features' | 'limit' | 'encryptionMasterKey' | 'timeScale' | 'webhookPort' | 'webhookHost' | 'webhookUrl' | 'fault' | 'serverCmd' | 'serverReady'
>;

export function registerDoctor(program: Command, io: CliIo, exit: ExitBox): void {
  addTargetOptions(program.command('doctor').description('check the setup only: reachability, WebSocket endpoint, key, secret, clock, webhooks'))
    .option('--profile <name>', 'target profile (default pusher)')
    .option('--features <list>', 'declared features: a,b replaces the profile\'s set; +a,-b adds to and removes from it')
    .option('--limit <key=value>', 'override one limit of the profile; repeatable', collect, [])
    .option('--encryption-master-key <base64>', '32-byte base64 master key for encrypted channels')
    .option('--time-scale <x>', 'multiply every timeout (default 1)')
    .option('--webhook-port <n>', 'port of the suite\'s webhook receiver (default: the --webhook-url\'s port, else a free one)')
    .option('--webhook-host <address>', 'address the webhook receiver listens on (default 127.0.0.1; 0.0.0.0 for a target in a container)')
    .option('--webhook-url <url>', 'URL the target POSTs webhooks to, when it reaches the receiver by another name')
    .option('--fault <name>', 'named fault of the embedded reference server; repeatable', collect, [])
    .option('--server-cmd <command>', 'start the target with this shell command and wait until it answers')
    .option('--server-ready <url>', 'with --server-cmd: an http(s) URL that answers once the target is ready')
    .action(async (flags: DoctorFlags) => {
      const config = flags.config ? await loadConfigFile(flags.config) : undefined;
      const { options } = resolveRunSettings({ ...flags, only: [], exclude: [] }, config, io.env);
      const colors = pc.createColors(colorFor(io.stdout, io.env));
      const where = options.target ? `${options.target.ws} / ${options.target.http} (app ${options.target.appId})` : 'the embedded reference server';
      io.stdout.write(`pusher-conformance doctor: ${where}, profile ${options.profile}\n`);

      const { runDoctorOnly } = await import('../../runner/run.ts');
      const { checks, exitCode, webhooks } = await runDoctorOnly(options);
      // what to configure on the target, before the checks: the webhook check below says whether it arrived
      if (webhooks) io.stdout.write(`webhook receiver listening on ${webhooks.listening}; the target must POST webhooks to ${webhooks.url}\n`);
      for (const c of checks) {
        io.stdout.write(`${c.ok ? colors.green('✓') : colors.red('✗')} ${c.check}: ${c.message}\n`);
        if (!c.ok && c.blocks?.length) io.stdout.write(colors.dim(`    blocks: ${c.blocks.map((b) => (b === '*' ? 'every case' : b)).join(', ')}\n`));
      }
      const bad = checks.filter((c) => !c.ok).length;
      const blocking = checks.filter((c) => !c.ok && (c.blocks ?? []).length > 0).length;
      // a warning (a departure that blocks nothing, judged by the cases) does not fail the doctor
      io.stdout.write(bad === 0 ? colors.green(`all ${checks.length} checks passed\n`) : blocking === 0 ? colors.yellow(`${bad} of ${checks.length} checks warned; none blocks the run\n`) : colors.red(`${bad} of ${checks.length} checks failed\n`));
      exit.code = exitCode;
    });
}
