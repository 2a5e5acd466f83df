/** Unsubscribe a slot's connection; member_removed goes out only if it was the user's last one. */
import type { PresenceCommand, PresenceModel, PresenceReal } from './model.ts';
import { noExpectation, settle, slotLabel, subscribedSlotsOf, userOfSlot } from './model.ts';

export class UnsubscribeCommand implements PresenceCommand {
  constructor(readonly slot: number) {}

  check(m: Readonly<PresenceModel>): boolean {
    return m.slots[this.slot]!.subscribed;
  }

  async run(m: PresenceModel, r: PresenceReal): Promise<void> {
    const user = userOfSlot(this.slot);
    const lastConnection = subscribedSlotsOf(m, user).length === 1;
    r.clients[this.slot]!.unsubscribe(r.channel);
    m.slots[this.slot] = { connected: true, subscribed: false };
    const exp = noExpectation();
    if (lastConnection) m.slots.forEach((s, i) => s.subscribed && exp.removed.set(i, [user]));
    await settle(r, m, exp, this.toString());
  }

  toString(): string {
    return `unsubscribe ${slotLabel(this.slot)}`;
  }
}
