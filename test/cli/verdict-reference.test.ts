import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStorage } from '../../src/store/open.js';
import { runCli, runStudyIn } from '../helpers.js';

interface Verdict {
  verdict: string;
  evidence: Record<string, unknown>;
}

// Each trial trains at the accuracy it is given; the best one fails after its epochs.
const MODULE = `export async function train(params, ctx) {
  for (let e = 0; e < 4; e++) {
    const a = params.acc;
    const loss = (1 - a) * (1 + 0.5 ** e);
    ctx.report({ train_loss: loss, train_accuracy: a, val_loss: loss + 0.02, val_accuracy: a - 0.01 });
  }
  if (params.acc > 0.95) throw new Error('lost at the end');
  return { val_accuracy: params.acc - 0.01 };
}
`;

describe('verdicts are judged against the complete trials, the same in every command', () => {
  it('diagnose and best give each trial the same verdict, with the best complete train_accuracy as the reference', async () => {
    const { db, run } = await runStudyIn(
      { 'acc.mjs': MODULE },
      'name: ref\nmethod: grid\ntrainer: module\nmodule: ./acc.mjs\nmetric: { name: val_accuracy, goal: maximize }\n' +
        'parameters:\n  acc: { values: [0.5, 0.9, 0.99] }\n',
      'ref.db',
    );
    assert.equal(run.code, 0, run.stderr);

    const diagnose = JSON.parse((await runCli(['diagnose', '--storage', db, '--json', '--all'])).stdout) as { trials: ({ number: number; state: string } & Verdict)[] };
    const best = JSON.parse((await runCli(['best', '--storage', db, '--json', '--top', '3'])).stdout) as { number: number; attrs: { verdict: Verdict } }[];
    assert.deepEqual(diagnose.trials.map((t) => t.state).sort(), ['complete', 'complete', 'failed']);
    assert.equal(best.length, 2);
    for (const b of best) {
      const d = diagnose.trials.find((t) => t.number === b.number);
      assert.ok(d !== undefined);
      assert.deepEqual({ verdict: d.verdict, evidence: d.evidence }, { verdict: b.attrs.verdict.verdict, evidence: b.attrs.verdict.evidence }, `trial ${b.number}`);
      const target = d.evidence['target_accuracy'];
      assert.ok(typeof target === 'number' && target < 0.9 && target > 0.8, `the reference is the complete 0.9, not the failed 0.99: ${String(target)}`);
    }
    const low = diagnose.trials.find((t) => t.state === 'complete' && t.evidence['train_accuracy'] === 0.5);
    assert.equal(low?.verdict, 'high_bias');
  });

  it("run --json shows its top trials' verdicts judged at the end, not as stored when each trial ended", async () => {
    // Trial 0 (0.5) ends first, when it is its own reference: stored good_fit. By the end the
    // reference is 0.9, and 0.5 is high bias.
    const { db, run } = await runStudyIn(
      { 'acc.mjs': MODULE },
      'name: ref\nmethod: grid\ntrainer: module\nmodule: ./acc.mjs\nmetric: { name: val_accuracy, goal: maximize }\n' +
        'parameters:\n  acc: { values: [0.5, 0.9, 0.99] }\n',
      'ref.db',
      ['--json', '--parallelism', '1'],
    );
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { best: { number: number }; top: { number: number; attrs: { verdict: Verdict } }[] };
    assert.deepEqual(summary.top.map((t) => [t.number, t.attrs.verdict.verdict]), [[1, 'good_fit'], [0, 'high_bias']]);
    const storage = await openStorage(db, { readOnly: true });
    try {
      const study = await storage.getStudy('ref');
      assert.ok(study !== null);
      const stored = await storage.getTrial(study.id, 0);
      assert.equal((stored?.attrs['verdict'] as unknown as Verdict).verdict, 'good_fit', 'what trial 0 stored when it was its own reference');
    } finally {
      await storage.close();
    }
  });
});
