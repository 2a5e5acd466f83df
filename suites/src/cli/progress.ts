/**
 * Progress while a run goes: one cli-progress bar per area (done/total, fail/warn/error counts)
 * on a TTY; one plain line per finished area otherwise ("connection  12/12  pass 11  fail 1"),
 * which reads well in CI logs. Colours come from picocolors, which honours NO_COLOR.
 * @module
 */
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { CaseResult, DoctorCheck, Verdict } from '../../../spec/src/report.ts';
import { verdictColumns } from '../reports/format.ts';

type Colors = ReturnType<typeof pc.createColors>;

/** The subset of the runner's events the progress display consumes. */
export interface ProgressEvents {
  onPlan(plan: readonly { area: string; cases: number }[]): void;
  onCaseDone(result: CaseResult): void;
  onDoctor(checks: readonly DoctorCheck[]): void;
}

export interface Progress extends ProgressEvents {
  /** Ends the display; areas that did not finish get their line marked incomplete. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** default: whether the stream is a TTY */
  tty?: boolean;
  /** default: picocolors' detection (NO_COLOR, FORCE_COLOR, TTY) */
  color?: boolean;
}

interface AreaState {
  total: number;
  done: number;
  counts: Partial<Record<Verdict, number>>;
  printed: boolean;
  bar?: cliProgress.SingleBar;
}

const verdictColor = (c: Colors): Record<Verdict, (s: string) => string> => ({
  pass: c.green,
  fail: c.red,
  warn: c.yellow,
  info: c.blue,
  unsupported: c.dim,
  skipped: c.dim,
  error: c.magenta,
  xfail: c.dim,
  xpass: c.yellow,
});

/** "pass 11  fail 1" with only the verdicts that occurred (pass always). */
export function countsText(counts: Partial<Record<Verdict, number>>, colors: Colors = pc.createColors(false)): string {
  const paint = verdictColor(colors);
  return verdictColumns
    .filter((v) => v === 'pass' || (counts[v] ?? 0) > 0)
    .map((v) => paint[v](`${v} ${counts[v] ?? 0}`))
    .join('  ');
}

interface BarPayload {
  area: string;
  counts: string;
  plainCounts: string;
}

/** "fail 0  warn 1  error 0" for a bar: the counts that need attention, always all three. */
function barCounts(counts: Partial<Record<Verdict, number>>, colors: Colors): string {
  const paint = verdictColor(colors);
  return (['fail', 'warn', 'error'] as const).map((v) => ((counts[v] ?? 0) > 0 ? paint[v](`${v} ${counts[v]}`) : colors.dim(`${v} 0`))).join('  ');
}

/**
 * One bar line, sized to the terminal. cli-progress cuts lines at the terminal width counting
 * escape codes as characters, so the bar shrinks first and colour goes when space is short.
 */
const barLine: cliProgress.GenericFormatter = (_options, params, payload: BarPayload) => {
  const done = `${params.value}/${params.total}`.padStart(7);
  const fit = (counts: string, barSize: number) => `${payload.area} ${'█'.repeat(Math.round(barSize * Math.min(1, params.progress))).padEnd(barSize, '░')} ${done}  ${counts}`;
  const max = params.maxWidth || 80;
  for (const counts of [payload.counts, payload.plainCounts]) {
    const barSize = Math.min(30, max - 1 - fit(counts, 0).length);
    if (barSize >= 5) return fit(counts, barSize);
  }
  return `${payload.area} ${done}  ${payload.plainCounts}`.slice(0, max - 1);
};

export function createProgress(opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stdout;
  const tty = opts.tty ?? ('isTTY' in stream && stream.isTTY === true);
  const colors = pc.createColors(opts.color ?? pc.isColorSupported);
  const areas = new Map<string, AreaState>();
  let width = 0;
  let multibar: cliProgress.MultiBar | undefined;

  const write = (line: string): void => {
    if (multibar) multibar.log(`${line}\n`);
    else stream.write(`${line}\n`);
  };

  const plainLine = (area: string, s: AreaState, suffix = ''): string =>
    `${area.padEnd(width)}  ${`${s.done}/${s.total}`.padStart(7)}  ${countsText(s.counts, colors)}${suffix}`;

  const payload = (area: string, s: AreaState): BarPayload => ({
    area: area.padEnd(width),
    counts: barCounts(s.counts, colors),
    plainCounts: barCounts(s.counts, pc.createColors(false)),
  });

  return {
    onDoctor(checks) {
      const bad = checks.filter((c) => !c.ok);
      if (bad.length === 0) {
        write(colors.dim(`doctor: ${checks.length} checks passed`));
        return;
      }
      for (const c of bad) write(`${colors.red('✗')} doctor: ${c.check}: ${c.message}`);
    },

    onPlan(plan) {
      width = Math.max(width, ...plan.map((p) => p.area.length));
      for (const p of plan) if (!areas.has(p.area)) areas.set(p.area, { total: p.cases, done: 0, counts: {}, printed: false });
      if (!tty) return;
      multibar = new cliProgress.MultiBar(
        {
          stream,
          format: barLine,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          autopadding: true,
          // cli-progress draws only on a TTY unless told otherwise; we already checked.
          noTTYOutput: false,
        },
        cliProgress.Presets.shades_classic,
      );
      for (const [area, s] of areas) s.bar = multibar.create(Math.max(s.total, 1), s.done, payload(area, s));
    },

    onCaseDone(result) {
      let s = areas.get(result.area);
      if (!s) {
        // A case outside the plan: track it anyway so the totals stay honest.
        s = { total: 0, done: 0, counts: {}, printed: false };
        areas.set(result.area, s);
        width = Math.max(width, result.area.length);
        if (multibar) s.bar = multibar.create(1, 0, payload(result.area, s));
      }
      s.done += 1;
      if (s.done > s.total) s.total = s.done;
      s.counts[result.verdict] = (s.counts[result.verdict] ?? 0) + 1;
      if (s.bar) {
        s.bar.setTotal(Math.max(s.total, 1));
        s.bar.update(s.done, payload(result.area, s));
      } else if (!tty && s.done === s.total && !s.printed) {
        s.printed = true;
        write(plainLine(result.area, s));
      }
    },

    stop() {
      if (multibar) {
        multibar.stop();
        multibar = undefined;
        return;
      }
      for (const [area, s] of areas) {
        if (s.printed) continue;
        s.printed = true;
        write(plainLine(area, s, s.done < s.total ? colors.yellow('  (incomplete)') : ''));
      }
    },
  };
}
