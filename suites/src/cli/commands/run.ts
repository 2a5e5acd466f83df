/**
 * `pusher-conformance run`: run the suite against a target (or the embedded reference server),
 * show progress, write the reports, print the summary, exit with the report's gate code.
 * @module
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { Report } from '../../../../spec/src/report.ts';
import { prepareOutputDir, writeReportsEach } from '../../runner/output-paths.ts';
import { matchesAny } from '../../runner/select.ts';
import { loadConfigFile } from '../config-file.ts';
import { UsageError, didYouMean } from '../errors.ts';
import type { CliIo, ExitBox } from '../io.ts';
import { colorFor } from '../io.ts';
import { addRunOptions, resolveRunSettings } from '../options.ts';
import type { RunFlags } from '../options.ts';
import { createProgress } from '../progress.ts';
import { renderSummary } from '../summary.ts';

export function registerRun(program: Command, io: CliIo, exit: ExitBox): void {
  addRunOptions(program.command('run').description('run the conformance suite against a target (default: the embedded reference server)')).action(async (flags: RunFlags) => {
    const config = flags.config ? await loadConfigFile(flags.config) : undefined;
    const settings = resolveRunSettings(flags, config, io.env);
    const { options } = settings;
    const color = colorFor(io.stdout, io.env);

    // usage and output problems are found before the doctor runs, let alone the cases
    if (options.only.length > 0) {
      const { areas } = await import('../../cases/index.ts');
      const ids = areas.flatMap((a) => a.cases.map((c) => c.id));
      const dead = options.only.filter((g) => !ids.some((id) => matchesAny(id, [g])));
      if (dead.length === options.only.length) {
        const names = [...areas.map((a) => a.area), ...ids];
        throw new UsageError(`--only ${dead.map((g) => `'${g}'`).join(', ')} matches no case${didYouMean(dead[0]!, names)}; 'pusher-conformance list' shows every case id`);
      }
    }
    await prepareOutputDir(settings.out).catch((e: Error) => {
      throw new UsageError(e.message);
    });

    const where = options.target ? `${options.target.ws} (app ${options.target.appId})` : `the embedded reference server${options.faults?.length ? ` with faults ${options.faults.join(', ')}` : ''}`;
    io.stdout.write(`pusher-conformance: running against ${where}, profile ${options.profile}, level ${options.level}${options.strict ? ', strict' : ''}\n`);
    io.stdout.write(settings.seedGiven ? `seed ${options.seed}\n` : `seed ${options.seed} (random; replay with --seed ${options.seed})\n`);

    const { runConformance } = await import('../../runner/run.ts');
    const progress = createProgress({ stream: io.stdout, color });
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
    const shown = files.map((f) => {
      const rel = relative(io.cwd, f);
      return rel.startsWith('..') ? f : rel;
    });
    io.stdout.write(renderSummary(report, { color, files: shown }));
    // a report that could not be written is a setup problem, whatever the verdicts
    exit.code = failures.length > 0 ? 2 : report.exitCode;
  });
}
