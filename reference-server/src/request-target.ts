/**
 * Reading an HTTP request target (RFC 9112 §3.2) without trusting it: `new URL(target, base)`
 * throws on targets such as `//`, `//[x` or `//a:b@/…` (they read as an authority), and reads
 * `//host/app/key` as the path `/app/key`. Only the origin form (`/path?query`) is a path here.
 * @module
 */

export interface RequestTarget {
  /** the path as WHATWG URL normalises it (dot segments resolved, percent-encoding kept) */
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

/** A fixed origin the target is appended to, so that nothing in the target can name a host. */
const FIXED_ORIGIN = 'http://localhost';

/** The path and query of an origin-form target; undefined for any other form or an unparseable one. */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    const url = new URL(FIXED_ORIGIN + target);
    return { pathname: url.pathname, searchParams: url.searchParams };
  } catch {
    return undefined;
  }
}
