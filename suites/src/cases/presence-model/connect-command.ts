/** Open the connection of a slot (not yet subscribed). */
import type { PresenceCommand, PresenceModel, PresenceReal } from './model.ts';
import { noExpectation, settle, slotLabel } from './model.ts';

export class ConnectCommand implements PresenceCommand {
  constructor(readonly slot: number) {}

  check(m: Readonly<PresenceModel>): boolean {
    return !m.slots[this.slot]!.connected;
  }

  async run(m: PresenceModel, r: PresenceReal): Promise<void> {
    r.clients[this.slot] = await r.ctx.connect();
    r.cursors[this.slot] = 0;
    m.slots[this.slot] = { connected: true, subscribed: false };
    // nobody's member list changes
    await settle(r, m, noExpectation(), this.toString());
  }

  toString(): string {
    return `connect ${slotLabel(this.slot)}`;
  }
}
