/**
 * The mutation driver's runner: one embedded reference server (started once, in-process, so that
 * StrykerJS instruments it) and one case at a time against it, judged as the conformance run
 * judges it, without the run's doctor, liveness probes or report (they would attribute their
 * coverage to every case and defeat Stryker's per-test coverage analysis).
 * @module
 */
import { featureNames } from '../../../spec/src/features.ts';
import { createCaseScope, DEFAULT_CASE_TIMEOUT_MS } from '../../src/harness/context.ts';
import { inboundCaps } from '../../src/harness/inbound-caps.ts';
import { WebhookReceiver } from '../../src/harness/webhooks.ts';
import type { Target } from '../../src/harness/types.ts';
import type { CaseDef } from '../../src/model/case.ts';
import { startEmbedded, type EmbeddedTarget } from '../../src/runner/embedded.ts';
import { buildTarget } from '../../src/runner/target.ts';
import { judge, runWithin, type Judged } from '../../src/runner/verdict.ts';
import { FAST_CHECK_SEED } from '../../../test-support/seed.ts';

export interface SharedTarget {
  readonly target: Target;
  readonly limits: ReturnType<typeof buildTarget>['limits'];
  readonly restApp: string;
  readonly receiver: WebhookReceiver;
  stop(): Promise<void>;
}

/** The embedded server and the suite's webhook receiver, as `runConformance` starts them for the pusher profile. */
export async function startShared(): Promise<SharedTarget> {
  const receiver = await WebhookReceiver.start(0);
  let embedded: EmbeddedTarget;
  try {
    embedded = await startEmbedded({ webhookUrl: receiver.url });
  } catch (e) {
    await receiver.close();
    throw e;
  }
  const built = buildTarget({
    input: { ws: embedded.ws, http: embedded.http, appId: embedded.appId, key: embedded.key, secret: embedded.secret },
    embedded: true,
    profile: 'pusher',
    features: featureNames,
    limits: { ...embedded.limits },
    encryptionMasterKey: embedded.encryptionMasterKey,
    extraApps: embedded.extraApps,
  });
  return {
    target: { ...built.target, inbound: inboundCaps(built.limits) },
    limits: built.limits,
    restApp: built.restApp,
    receiver,
    async stop() {
      await embedded.stop().catch(() => {});
      await receiver.close().catch(() => {});
    },
  };
}

/** Run one case against the shared target, bounded by its own time limit, and judge it. */
export async function runOneCase(shared: SharedTarget, def: CaseDef, caseToken: string, runToken: string): Promise<Judged> {
  const scope = createCaseScope({
    target: shared.target,
    limits: shared.limits,
    restApp: shared.restApp,
    caseDef: def,
    seed: FAST_CHECK_SEED,
    timeScale: 1,
    runToken,
    caseToken,
    suiteVersion: '0.0.0-mutation',
    receiver: shared.receiver,
  });
  const bound = def.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  const outcome = await runWithin(() => def.run(scope.ctx), bound);
  if (outcome.kind === 'timeout') scope.abort(`the case did not finish within ${bound} ms`);
  await scope.dispose().catch(() => {});
  return judge(def, outcome);
}

/** What the self-test accepts on a clean server: a pass, or a MAY case's observation of what it expected. */
export function isClean(def: Pick<CaseDef, 'level' | 'requirement'>, j: Judged): boolean {
  return j.verdict === 'pass' || (def.level === 'MAY' && j.verdict === 'info' && j.expected.length === 1 && j.expected[0] === def.requirement);
}
