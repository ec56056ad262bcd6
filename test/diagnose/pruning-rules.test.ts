// pruningSavings: the epochs each pruned trial did not train, against what every finished trial planned.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord, Params, TrialState } from '../../src/core/types.js';
import { pruningSavings } from '../../src/diagnose/index.js';
import { trialOf } from './synthetic.js';

const curve = (n: number): EpochRecord[] => Array.from({ length: n }, (_, epoch) => ({ epoch, metrics: { train_loss: 1 } }));

function savings(rows: { state: TrialState; trained: number; params?: Params }[], fixed: number | null = null): ReturnType<typeof pruningSavings> {
  const trials = rows.map((r, number) => trialOf({ number, state: r.state, params: r.params ?? {} }));
  const curves = new Map(rows.map((r, number) => [number, curve(r.trained)] as const));
  return pruningSavings(trials, curves, fixed);
}

describe('pruningSavings', () => {
  it("plans a pruned trial's epochs from its own epochs parameter first, then the spec's, then the longest complete curve", () => {
    assert.deepEqual(savings([{ state: 'complete', trained: 10 }, { state: 'pruned', trained: 3, params: { epochs: 20 } }], 15), { pruned: 1, planned: 35, saved: 17 });
    assert.deepEqual(savings([{ state: 'complete', trained: 10 }, { state: 'pruned', trained: 3 }], 15), { pruned: 1, planned: 30, saved: 12 });
    assert.deepEqual(savings([{ state: 'complete', trained: 10 }, { state: 'pruned', trained: 3 }]), { pruned: 1, planned: 20, saved: 7 });
  });

  it('reads the longest curve of complete trials only, and counts running trials nowhere', () => {
    const rows = [
      { state: 'complete', trained: 10 },
      { state: 'diverged', trained: 12 },
      { state: 'failed', trained: 14 },
      { state: 'running', trained: 16 },
      { state: 'pruned', trained: 4 },
    ] as const;
    // planned: complete 10, diverged max(10, 12), failed max(10, 14), pruned 10; the running trial none.
    assert.deepEqual(savings([...rows]), { pruned: 1, planned: 46, saved: 6 });
  });

  it('plans at least what a trial trained, and saves nothing for a pruned trial that trained its whole plan or more', () => {
    assert.deepEqual(savings([{ state: 'complete', trained: 8, params: { epochs: 5 } }, { state: 'pruned', trained: 7, params: { epochs: 5 } }]), { pruned: 1, planned: 15, saved: 0 });
  });

  it('counts an early-stopped complete trial at its plan, and ignores an epochs parameter that is not a number', () => {
    assert.deepEqual(savings([{ state: 'complete', trained: 6, params: { epochs: 'many' } }, { state: 'pruned', trained: 2, params: { epochs: 'many' } }], 9), { pruned: 1, planned: 18, saved: 7 });
  });

  it('plans what was trained when there is neither a spec setting nor a complete trial', () => {
    assert.deepEqual(savings([{ state: 'pruned', trained: 3 }, { state: 'pruned', trained: 5 }]), { pruned: 2, planned: 8, saved: 0 });
    assert.deepEqual(savings([]), { pruned: 0, planned: 0, saved: 0 });
  });

  it('takes a trial without a stored curve as having trained nothing', () => {
    const trials = [trialOf({ number: 0, state: 'complete' }), trialOf({ number: 1, state: 'pruned' })];
    assert.deepEqual(pruningSavings(trials, new Map([[0, curve(4)]]), null), { pruned: 1, planned: 8, saved: 4 });
    const blank = [trialOf({ number: 0, state: 'complete' }), trialOf({ number: 1, state: 'pruned' })];
    assert.deepEqual(pruningSavings(blank, new Map([[1, curve(2)]]), null), { pruned: 1, planned: 2, saved: 0 }, 'a complete trial without a curve is 0 epochs long');
  });
});
