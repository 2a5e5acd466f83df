/**
 * `pusher-conformance run`: run the suite against a target (or the embedded reference server),
 * show progress, write the reports and the target's settings file, print the summary, exit with
 * the report's gate code. With --json the summary is JSON on stdout and everything else goes to
 * stderr.
 * @module
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { Report } from '../../../../spec/src/report.ts';
import { featureNames } from '../../../../spec/src/features.ts';
import { prepareOutputDir, writeReportsEach } from '../../runner/output-paths.ts';
import { SETTINGS_FILE_NAME, settingsFileContents, writeSettingsFile } from '../../runner/repro.ts';
import { matchesAny, selectCase } from '../../runner/select.ts';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from '../config-file.ts';
import { UsageError, didYouMean } from '../errors.ts';
import type { CliIo, ExitBox } from '../io.ts';
import { colorFor } from '../io.ts';
import { addRunOptions, resolveRunSettings } from '../options.ts';
import type { RunFlags } from '../options.ts';
import { createProgress } from '../progress.ts';
import { renderSummary, runSummaryJson } from '../summary.ts';

export function registerRun(program: Command, io: CliIo, exit: ExitBox): void {
  addRunOptions(program.command('run').description('run the conformance suite against a target (default: the embedded reference server)'))
    .option('--json', 'print the summary as JSON on stdout (progress and messages go to stderr)')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes:',
        '  0  conformant at the chosen gate (--level, --strict, --baseline)',
        '  1  conformance failures (fail, xpass, a crash of the target; warn with --strict)',
        '  2  setup, usage or harness error: bad flags, an empty selection, the doctor blocked the run, or',
        '     any case in error. A run with both failures and errors exits 2: fix the setup first, the',
        '     failures are still listed in the summary and the reports',
        '  3  incomplete run: interrupted, the target stopped answering, or no selected case could run',
        '     (every one unsupported)',
        '',
        `The run writes ${SETTINGS_FILE_NAME} (the target's settings, no secret) beside the reports; each case's`,
        `reproduce command is: npx pusher-conformance run --config DIR/${SETTINGS_FILE_NAME} --only 'CASE' --seed N`,
        'with the secret in PUSHER_SECRET.',
      ].join('\n'),
    )
    .action(async (flags: RunFlags) => {
      const config = flags.config ? await loadConfigFile(flags.config) : undefined;
      const settings = resolveRunSettings(flags, config, io.env);
      // --json: stdout carries the JSON alone
      const human = flags.json ? io.stderr : io.stdout;
      const color = colorFor(human, io.env);

      // usage and output problems are found before the doctor runs, let alone the cases
      const { areas } = await import('../../cases/index.ts');
      const { options: resolved } = settings;
      if (resolved.only.length > 0) {
        const ids = areas.flatMap((a) => a.cases.map((c) => c.id));
        const dead = resolved.only.filter((g) => !ids.some((id) => matchesAny(id, [g])));
        if (dead.length === resolved.only.length) {
          const names = [...areas.map((a) => a.area), ...ids];
          throw new UsageError(`--only ${dead.map((g) => `'${g}'`).join(', ')} matches no case${didYouMean(dead[0]!, names)}; 'pusher-conformance list' shows every case id`);
        }
      }
      // features only make a case unsupported; --only, --exclude and --level decide what is selected
      const everyFeature = new Set(featureNames);
      const selectable = areas.some((a) => a.cases.some((c) => selectCase(c, { only: resolved.only, exclude: resolved.exclude, level: resolved.level, features: everyFeature }).run));
      if (!selectable) {
        const by = [...resolved.only.map((g) => `--only '${g}'`), ...resolved.exclude.map((g) => `--exclude '${g}'`), `--level ${resolved.level}`];
        throw new UsageError(`the selection is empty: no case is left by ${by.join(' ')}`);
      }
      await prepareOutputDir(settings.out).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      // the target's settings beside the reports, so that each reproduce command is short
      const settingsPath = join(settings.out, SETTINGS_FILE_NAME);
      const contents = parseConfig(settingsFileContents(resolved, settings.name), settingsPath);
      const settingsFile = await writeSettingsFile(settings.out, contents);
      const options = { ...resolved, settingsFile: shown(io.cwd, settingsFile) };

      const where = options.target ? `${options.target.ws} (app ${options.target.appId})` : `the embedded reference server${options.faults?.length ? ` with faults ${options.faults.join(', ')}` : ''}`;
      human.write(`pusher-conformance: running against ${where}, profile ${options.profile}, level ${options.level}${options.strict ? ', strict' : ''}\n`);
      human.write(settings.seedGiven ? `seed ${options.seed}\n` : `seed ${options.seed} (random; replay with --seed ${options.seed})\n`);

      const { runConformance } = await import('../../runner/run.ts');
      const progress = createProgress({ stream: human, color });
      let report: Report;
      try {
        report = await runConformance(options, {
          onPlan: (plan) => progress.onPlan(plan),
          onCaseDone: (result) => progress.onCaseDone(result),
          onDoctor: (checks) => progress.onDoctor(checks),
        });
      } finally {
        progress.stop();
      }
      if (settings.name !== undefined && !options.target) report = { ...report, target: { ...report.target, name: settings.name } };

      const { files, failures } = await writeReportsEach(report, settings.out, settings.formats);
      for (const f of failures) io.stderr.write(`pusher-conformance: ${f}\n`);
      const written = [...files.map((f) => shown(io.cwd, f)), options.settingsFile];
      human.write(renderSummary(report, { color, files: written }));
      // a report that could not be written is a setup problem, whatever the verdicts
      exit.code = failures.length > 0 ? 2 : report.exitCode;
      if (flags.json) io.stdout.write(`${JSON.stringify(runSummaryJson(report, { exitCode: exit.code, files: files.map((f) => shown(io.cwd, f)), settingsFile: options.settingsFile }), null, 2)}\n`);
    });
}

/** a path relative to the working directory when it is below it, else as it is */
function shown(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || rel === '' ? file : rel;
}
