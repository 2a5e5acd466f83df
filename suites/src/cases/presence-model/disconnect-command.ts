/**
 * Close a slot's connection, cleanly or by dropping TCP. A subscribed connection leaves the
 * channel as if it had unsubscribed: member_removed only if it was the user's last one.
 */
import type { PresenceCommand, PresenceModel, PresenceReal } from './model.ts';
import { noExpectation, settle, slotLabel, subscribedSlotsOf, userOfSlot } from './model.ts';

export class DisconnectCommand implements PresenceCommand {
  constructor(
    readonly slot: number,
    readonly abrupt: boolean,
  ) {}

  check(m: Readonly<PresenceModel>): boolean {
    return m.slots[this.slot]!.connected;
  }

  async run(m: PresenceModel, r: PresenceReal): Promise<void> {
    const user = userOfSlot(this.slot);
    const wasSubscribed = m.slots[this.slot]!.subscribed;
    const lastConnection = wasSubscribed && subscribedSlotsOf(m, user).length === 1;
    const client = r.clients[this.slot]!;
    if (this.abrupt) client.terminate();
    else await client.close();
    r.clients[this.slot] = undefined;
    m.slots[this.slot] = { connected: false, subscribed: false };
    const exp = noExpectation();
    if (lastConnection) m.slots.forEach((s, i) => s.subscribed && exp.removed.set(i, [user]));
    await settle(r, m, exp, this.toString());
  }

  toString(): string {
    return `${this.abrupt ? 'drop TCP of' : 'close'} ${slotLabel(this.slot)}`;
  }
}
