/**
 * Subscribe a slot's connection to the presence channel as its user (connecting it first when it
 * is not connected, so that random histories reach the interesting states quickly). Checks the member list it
 * gets (the subscriber included, one entry per user) and that member_added reaches the other
 * connections only when this is the user's first connection on the channel.
 */
import type { PresenceCommand, PresenceModel, PresenceReal } from './model.ts';
import { checkMemberList, members, noExpectation, settle, slotLabel, userOfSlot } from './model.ts';

export class SubscribeCommand implements PresenceCommand {
  constructor(readonly slot: number) {}

  check(m: Readonly<PresenceModel>): boolean {
    return !m.slots[this.slot]!.subscribed;
  }

  async run(m: PresenceModel, r: PresenceReal): Promise<void> {
    const user = userOfSlot(this.slot);
    const firstConnection = !members(m).has(user);
    const others = m.slots.flatMap((s, i) => (s.subscribed ? [i] : []));
    if (!m.slots[this.slot]!.connected) {
      r.clients[this.slot] = await r.ctx.connect();
      r.cursors[this.slot] = 0;
      m.slots[this.slot] = { connected: true, subscribed: false };
    }
    const client = r.clients[this.slot]!;
    const frame = await client.subscribeOk(r.channel, { channelData: { user_id: r.users[user]!, user_info: r.infos[user]! } });
    m.slots[this.slot] = { connected: true, subscribed: true };
    checkMemberList(r, m, frame, this.toString());
    const exp = noExpectation();
    if (firstConnection) for (const other of others) exp.added.set(other, [user]);
    await settle(r, m, exp, this.toString());
  }

  toString(): string {
    return `subscribe ${slotLabel(this.slot)}`;
  }
}
