/**
 * The doctor's proof that the REST API is the target's and that it works, before anything is
 * judged: a wrongly signed request is refused (401/403 with a body that is not a success), and an
 * event published over REST reaches a subscribed connection with its data byte for byte. A server
 * that answers HTTP 200 to everything fails both and is a setup error, not a wall of `fail`s.
 * A departure the suite judges elsewhere (the signature not checked, data re-encoded) is shown as
 * a warning that blocks nothing: its own cases fail for it.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { DoctorCheck } from '../../../spec/src/report.ts';
import { ChannelsResponse } from '../../../spec/src/rest/schemas.ts';
import { RestStatus } from '../../../spec/src/rest/endpoints.ts';
import { HarnessClient, type ClientDeps } from '../harness/client.ts';
import type { HarnessRest } from '../harness/rest.ts';
import { clip } from '../harness/transcript.ts';

/** how long the published event gets to arrive, before time-scale */
export const DELIVERY_CHECK_MS = 3000;
/** how long the subscription of the delivery check waits for its answer, before time-scale */
const SUBSCRIBE_MS = 2000;
/** an auth_signature no secret produces */
const WRONG_SIGNATURE = '0'.repeat(64);

export interface RestProofOptions {
  readonly rest: HarnessRest;
  readonly http: string;
  /** connection settings of the doctor's WebSocket client */
  readonly client: ClientDeps;
}

const BLOCKS_ALL = '*';

export async function restProofChecks(opts: RestProofOptions): Promise<DoctorCheck[]> {
  const { rest } = opts;
  const path = rest.path('channels');
  const checks: DoctorCheck[] = [];

  // 1. a wrong signature is refused
  let wrongAccepted: string | undefined;
  try {
    const res = await rest.channels({}, { signature: WRONG_SIGNATURE });
    const refused = (res.status === RestStatus.Unauthorized || res.status === RestStatus.Forbidden) && !ChannelsResponse.safeParse(res.json).success;
    if (refused) checks.push({ check: 'rest-signature', ok: true, message: `a wrong signature is refused: GET ${path} answered ${res.status} ${clip(res.text, 120)}` });
    else wrongAccepted = `GET ${path} with a wrong auth_signature answered HTTP ${res.status} ${clip(res.text, 120)}`;
  } catch (e) {
    checks.push({ check: 'rest-signature', ok: false, message: `the wrongly signed request did not get an answer: ${(e as Error).message}`, blocks: [BLOCKS_ALL] });
    return checks;
  }

  // 2. published data arrives verbatim
  const token = `pcdoctor-${randomBytes(6).toString('hex')}`;
  const channel = `pcdoctor-publish-${randomBytes(4).toString('hex')}`;
  const event = 'pcdoctor-event';
  let client: HarnessClient | undefined;
  try {
    client = await HarnessClient.connect({ ...opts.client, label: 'doctor-publish' });
    await client.subscribe(channel, { within: SUBSCRIBE_MS });
    const res = await rest.trigger({ name: event, channel, data: token });
    if (res.status < 200 || res.status >= 300) {
      checks.push({ check: 'rest-publish', ok: false, message: `POST ${rest.path('events')} of a plain event was refused with HTTP ${res.status}: ${clip(res.text, 200)}; no case can publish`, blocks: [BLOCKS_ALL] });
      return checks;
    }
    // matched by the event name alone: a frame without its channel is a departure judged elsewhere
    const got = await client.waitFor({ where: (f) => f.event === event, within: DELIVERY_CHECK_MS });
    if (got === undefined) {
      const message = wrongAccepted
        ? `the REST API at ${opts.http} answers HTTP 200 to everything: ${wrongAccepted}, and an event published to ${channel} (answered ${res.status}) never reached the connection subscribed to it; --http does not lead to this app's Pusher REST API`
        : `POST ${rest.path('events')} answered ${res.status}, but the event never reached a connection subscribed to ${channel}: do --ws and --http lead to the same server and app?`;
      checks.push({ check: 'rest-publish', ok: false, message, blocks: [BLOCKS_ALL] });
      return checks;
    }
    if (got.data === token) checks.push({ check: 'rest-publish', ok: true, message: `published data arrives verbatim: "${token}" over REST, the same bytes in ${event} on the WebSocket` });
    else checks.push({ check: 'rest-publish', ok: false, message: `published data arrives altered: "${token}" published, ${clip(JSON.stringify(got.data ?? null), 120)} received (the data-encoding cases judge it)`, blocks: [] });
  } catch (e) {
    checks.push({ check: 'rest-publish', ok: false, message: `could not drive the publish check: ${(e as Error).message}`, blocks: [BLOCKS_ALL] });
    return checks;
  } finally {
    await client?.close().catch(() => client?.terminate());
  }
  if (wrongAccepted) checks.unshift({ check: 'rest-signature', ok: false, message: `a wrong signature is not refused: ${wrongAccepted} (the request-signing cases judge it)`, blocks: [] });
  return checks;
}
