import { describe, expect, it } from 'vitest';
import { singleNodeFaultNames as faultNames, type SingleNodeFaultName as FaultName } from '../src/faults.ts';
import { faultProbes } from './support/fault-probes.ts';
import { observe } from './support/probe-server.ts';

describe('named faults', () => {
  it('every fault has a probe, and every probe a fault', () => {
    const probed = Object.keys(faultProbes).sort();
    expect(faultNames.filter((f) => !Object.hasOwn(faultProbes, f))).toEqual([]);
    expect(probed).toEqual([...faultNames].sort());
  });

  describe.each(faultNames)('%s', (fault: FaultName) => {
    it('changes what a client observes', async () => {
      const probe = faultProbes[fault];
      if (probe === undefined) throw new Error(`fault ${fault} has no probe in test/support/fault-probes.ts`);
      const off = await observe(fault, probe, false);
      const on = await observe(fault, probe, true);
      expect(on, `observation with ${fault} on`).not.toBe(off);
    });
  });
});
