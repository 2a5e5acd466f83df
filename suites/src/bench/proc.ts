/**
 * A local server's memory and CPU from /proc (Linux), for `bench --pid`.
 * @module
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux ABI Node supports */
const CLOCK_TICKS_PER_SECOND = 100;

export class ProcessGoneError extends Error {
  override readonly name = 'ProcessGoneError';
}

function read(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    throw new ProcessGoneError(`process ${pid} is not running (or /proc/${pid}/${file} is unreadable)`);
  }
}

/** resident set size (VmRSS) in bytes */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(read(pid, 'status'));
  if (m === null) throw new ProcessGoneError(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** user + system CPU time the process has used, in ms */
export function cpuMs(pid: number): number {
  const stat = read(pid, 'stat');
  // the command name (field 2) is in parentheses and may contain spaces: count from its end
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** this process's soft limit on open files, undefined when unknown or unlimited */
export function fdSoftLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}
