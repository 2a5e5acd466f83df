/**
 * What `bench` measures: a target reached through the protocol only (WebSocket + signed REST).
 * @module
 */
import { isIP } from 'node:net';
import type { Target } from '../harness/types.ts';

/** the run's target fields `bench` needs, plus the server's process id on this machine (RSS and CPU from /proc) */
export type BenchTarget = Pick<Target, 'name' | 'ws' | 'http' | 'appId' | 'key' | 'secret'> & { readonly pid?: number };

export class BenchTargetError extends Error {
  override readonly name = 'BenchTargetError';
}

/** whether a URL's host is this machine (127.0.0.0/8, ::1, localhost) */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host.startsWith('::ffff:127.');
  return false;
}

/**
 * A bench is a load test: it goes to this machine only, unless the operator says the host is
 * theirs to load (allowRemote).
 */
export function checkBenchTarget(target: BenchTarget, allowRemote: boolean): void {
  if (allowRemote) return;
  for (const url of [target.ws, target.http]) {
    if (!isLoopbackUrl(url)) throw new BenchTargetError(`${url} is not on this machine: bench loads its target heavily, so it runs against loopback only unless you pass --allow-remote for a server you operate`);
  }
  if (target.pid !== undefined && !(Number.isInteger(target.pid) && target.pid > 0)) throw new BenchTargetError(`--pid must be a process id, got ${target.pid}`);
}
