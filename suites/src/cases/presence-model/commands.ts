/** The command arbitraries of the presence model, collected for fc.commands. */
import fc from 'fast-check';
import { ConnectCommand } from './connect-command.ts';
import { DisconnectCommand } from './disconnect-command.ts';
import { SLOT_COUNT } from './model.ts';
import type { PresenceCommand, PresenceModel, PresenceReal } from './model.ts';
import { SubscribeCommand } from './subscribe-command.ts';
import { UnsubscribeCommand } from './unsubscribe-command.ts';

const slot = fc.integer({ min: 0, max: SLOT_COUNT - 1 });

/**
 * A history: the slots subscribed first (at least three of the five, so that from the start some
 * user is on the channel twice), then random commands (both parts shrink), then every connection
 * still open leaves (closed or dropped in turn), so that each history ends on an empty channel.
 */
export function presenceHistories(maxCommands: number, replayPath?: string): fc.Arbitrary<Iterable<PresenceCommand>> {
  return fc
    .tuple(fc.uniqueArray(slot, { minLength: 3, maxLength: SLOT_COUNT }), presenceCommands(maxCommands, replayPath))
    .map(([initial, cmds]) => new History(initial.map((s) => new SubscribeCommand(s)), cmds));
}

/** Iterable of the initial subscriptions then the generated commands, printed as one script. */
class History implements Iterable<PresenceCommand> {
  constructor(
    readonly initial: readonly PresenceCommand[],
    readonly rest: Iterable<PresenceCommand>,
  ) {}

  readonly final: readonly PresenceCommand[] = Array.from({ length: SLOT_COUNT }, (_, s) => new DisconnectCommand(s, s % 2 === 0));

  *[Symbol.iterator](): Iterator<PresenceCommand> {
    yield* this.initial;
    yield* this.rest;
    yield* this.final;
  }

  toString(): string {
    return `[${this.initial.map(String).join(', ')}] then ${String(this.rest)} then everyone leaves`;
  }
}

/** `replayPath`: fc.commands' replay log of a failure, for a `--path` replay (harness/replay-path.ts) */
export function presenceCommands(maxCommands: number, replayPath?: string): fc.Arbitrary<Iterable<PresenceCommand>> {
  return fc.commands<PresenceModel, PresenceReal, false>(
    [
      slot.map((s): PresenceCommand => new ConnectCommand(s)),
      // subscribing is the interesting move: weighted by repetition
      slot.map((s): PresenceCommand => new SubscribeCommand(s)),
      slot.map((s): PresenceCommand => new SubscribeCommand(s)),
      slot.map((s): PresenceCommand => new SubscribeCommand(s)),
      slot.map((s): PresenceCommand => new UnsubscribeCommand(s)),
      slot.map((s): PresenceCommand => new UnsubscribeCommand(s)),
      fc.tuple(slot, fc.boolean()).map(([s, abrupt]): PresenceCommand => new DisconnectCommand(s, abrupt)),
      fc.tuple(slot, fc.boolean()).map(([s, abrupt]): PresenceCommand => new DisconnectCommand(s, abrupt)),
    ],
    { maxCommands, size: '+1', ...(replayPath !== undefined ? { replayPath } : {}) },
  );
}
