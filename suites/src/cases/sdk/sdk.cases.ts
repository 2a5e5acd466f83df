/**
 * The SDK lanes: pusher-js, laravel-echo and the pusher server SDK driven against the target
 * through the same harness (tap, REST signer, webhook receiver), so that the report also says
 * what an application using those libraries would see.
 * @module
 */
import { defineArea } from '../../model/case.ts';
import { laravelEchoCases } from './laravel-echo.cases.ts';
import { sdkLanes } from './lanes.ts';
import { pusherJsCases } from './pusher-js.cases.ts';
import { pusherServerCases } from './pusher-server.cases.ts';

const cases = [...pusherJsCases, ...laravelEchoCases, ...pusherServerCases];
for (const c of cases) if (!(c.id in sdkLanes)) throw new Error(`SDK case ${c.id} has no lane in suites/src/cases/sdk/lanes.ts`);

export default defineArea('sdk', 'What pusher-js, laravel-echo and the pusher server SDK see', cases);
