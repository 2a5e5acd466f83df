/**
 * The per-case transcript: every frame in and out, HTTP exchange, webhook and note, with the
 * time since the case started. Capped so a chatty case cannot bloat the report.
 * @module
 */
import type { TranscriptEntry } from '../../../spec/src/report.ts';

export const TRANSCRIPT_MAX_ENTRIES = 200;
export const TRANSCRIPT_MAX_TEXT = 2048;
/** unanswered sends kept per connection for the crash blame */
const UNANSWERED_MAX = 32;

export type TranscriptKind = TranscriptEntry['kind'];

/** What a case last sent to the target: a WebSocket frame or an HTTP request, and when. */
export interface SentRecord {
  /** performance.now() when it was sent */
  readonly at: number;
  readonly kind: 'ws-out' | 'http-out';
  /** the connection or request label (c1, c2, rest…) */
  readonly who?: string;
  /** the frame or request line, clipped like every transcript entry */
  readonly text: string;
}

/** what the client writes for a frame it could not send (the connection was not open) */
export const NOT_SENT_PREFIX = '(not sent';

export function clip(text: string, max = TRANSCRIPT_MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

/** `c1@n2` → `n2`: the node a label names, if any */
export function nodeOfLabel(label: string): string | undefined {
  const at = label.lastIndexOf('@');
  return at > 0 && at < label.length - 1 ? label.slice(at + 1) : undefined;
}

export class Transcript {
  readonly #entries: TranscriptEntry[] = [];
  #dropped = 0;
  #lastSent: SentRecord | undefined;
  /** per connection or request: what it sent since the target last sent it anything (crash blame) */
  readonly #unanswered = new Map<string, SentRecord[]>();
  readonly startedAt: number;

  constructor(startedAt = performance.now()) {
    this.startedAt = startedAt;
  }

  /** ms since the case started */
  elapsed(): number {
    return Math.max(0, Math.round((performance.now() - this.startedAt) * 10) / 10);
  }

  add(kind: TranscriptKind, text: string, who?: string): void {
    // keep the first entries (the setup) and the last ones (where it went wrong)
    // a cluster target: connections and requests are labelled c1@n2 / r1@n2 (context.ts, rest.ts); the entry names the node
    const node = who === undefined ? undefined : nodeOfLabel(who);
    const entry: TranscriptEntry = who === undefined ? { t: this.elapsed(), kind, text: clip(text) } : { t: this.elapsed(), kind, who, ...(node !== undefined ? { node } : {}), text: clip(text) };
    // the crash blame (runner/liveness.ts) needs the last thing that really went out
    if ((kind === 'ws-out' || kind === 'http-out') && !text.startsWith(NOT_SENT_PREFIX)) {
      this.#lastSent = { at: performance.now(), kind, ...(who === undefined ? {} : { who }), text: entry.text };
      if (who !== undefined) {
        const run = this.#unanswered.get(who) ?? [];
        if (run.length >= UNANSWERED_MAX) run.shift();
        run.push(this.#lastSent);
        this.#unanswered.set(who, run);
      }
    }
    if ((kind === 'ws-in' || kind === 'http-in') && who !== undefined) this.#unanswered.delete(who);
    if (this.#entries.length < TRANSCRIPT_MAX_ENTRIES) {
      this.#entries.push(entry);
      return;
    }
    const keepHead = Math.floor(TRANSCRIPT_MAX_ENTRIES / 2);
    this.#entries.splice(keepHead, 1);
    this.#dropped++;
    this.#entries.push(entry);
  }

  /** the last frame or request this case sent, if any */
  lastSent(): SentRecord | undefined {
    return this.#lastSent;
  }

  /**
   * The first frame `who` sent after the target last sent it anything, within `windowMs` before
   * its last send: frames sent back to back (a malformed subscribe, then a ping) reach a server
   * together, and the one it died on is the first it never answered, not the last one written.
   */
  firstUnanswered(who: string, windowMs: number): SentRecord | undefined {
    const run = this.#unanswered.get(who);
    const last = run?.at(-1);
    return last === undefined ? undefined : run!.find((r) => r.at >= last.at - windowMs);
  }

  note(text: string): void {
    this.add('note', text);
  }

  entries(): TranscriptEntry[] {
    if (this.#dropped === 0) return [...this.#entries];
    const keepHead = Math.floor(TRANSCRIPT_MAX_ENTRIES / 2);
    const head = this.#entries.slice(0, keepHead);
    const tail = this.#entries.slice(keepHead);
    const marker: TranscriptEntry = { t: tail[0]?.t ?? 0, kind: 'note', text: `… ${this.#dropped} transcript entries omitted …` };
    return [...head, marker, ...tail];
  }
}
