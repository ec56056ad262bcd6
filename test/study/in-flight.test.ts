import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { RunningTrial, TrialOutcome } from '../../src/core/trainer.js';
import { InFlight, killDelayMs } from '../../src/study/in-flight.js';

/** A running trial that records what it was asked. */
function fakeTrial(): RunningTrial & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    stop: (reason) => void calls.push(`stop ${reason}`),
    terminate: (reason) => void calls.push(`terminate ${reason}`),
    outcome: new Promise<TrialOutcome>(() => undefined),
  };
}

describe('InFlight (how an interrupted run stops its trials)', () => {
  it('waits the grace period, then asks trials to stop, then kills those still running', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const running = new InFlight();
      const a = fakeTrial();
      const b = fakeTrial();
      running.add(1, a);
      running.add(2, b);
      assert.equal(running.stopping, false);
      running.drain(2_000);
      assert.equal(running.stopping, true);
      mock.timers.tick(1_999);
      assert.deepEqual(a.calls, [], 'trials may finish within the grace period');
      assert.equal(running.remove(2), false, 'a trial that ended within the grace period was not interrupted');
      mock.timers.tick(1);
      assert.deepEqual(a.calls, ['stop interrupted']);
      mock.timers.tick(killDelayMs(2_000));
      assert.deepEqual(a.calls, ['stop interrupted', 'terminate it did not stop within 2 s of being asked']);
      assert.deepEqual(b.calls, []);
      assert.equal(running.remove(1), true);
      running.dispose();
    } finally {
      mock.timers.reset();
    }
  });

  it('kills every trial at once on a second signal', () => {
    const running = new InFlight();
    const a = fakeTrial();
    running.add(7, a);
    running.drain(60_000);
    running.now();
    assert.deepEqual(a.calls, ['terminate killed by a second signal']);
    running.dispose();
  });

  it('bounds the wait after the stop message between 0.5 and 5 s', () => {
    assert.deepEqual([0, 2_000, 60_000].map(killDelayMs), [500, 2_000, 5_000]);
  });
});
