// TPE's rules as a user relies on them, through tpeParams: when it takes over from random
// draws, which trials count as good (γ, direction), where it proposes, and what it returns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { TpeOptions } from '../../src/core/spec.js';
import type { Direction, Params, TrialState } from '../../src/core/types.js';
import type { SampledTrial } from '../../src/search/index.js';
import { drawParams } from '../../src/search/random.js';
import { rankTrials, tpeParams } from '../../src/search/tpe.js';

const X: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 } };
const OPTS: TpeOptions = { n_startup_trials: 5, n_ei_candidates: 24, multivariate: false };
const trial = (number: number, params: Params, value: number | null, state: TrialState = 'complete'): SampledTrial => ({ number, params, value, state });

/** Proposals for trials 100.. over a fixed history. */
function proposals(history: SampledTrial[], n: number, extra: { direction?: Direction; options?: Partial<TpeOptions>; parameters?: Record<string, Distribution> } = {}): Params[] {
  return Array.from({ length: n }, (_, k) =>
    tpeParams({ seed: 11, trial: 100 + k, parameters: extra.parameters ?? X, history, direction: extra.direction ?? 'minimize', options: { ...OPTS, ...extra.options } }),
  );
}

describe('TPE, rule by rule', () => {
  it('draws as random search until n_startup_trials trials finished, and not after', () => {
    const done = [0.1, 0.3, 0.5, 0.7].map((x, i) => trial(i, { x }, x));
    const at = (history: SampledTrial[]): Params => tpeParams({ seed: 4, trial: 9, parameters: X, history, direction: 'minimize', options: OPTS });
    const random = drawParams(4, 9, X);
    // Four finished; a running, a failed, an interrupted or a waiting trial does not make five.
    for (const state of ['running', 'failed', 'interrupted', 'waiting'] as const) assert.deepEqual(at([...done, trial(4, { x: 0.9 }, state === 'running' ? null : 0.9, state)]), random, state);
    // A fifth finished trial (complete, pruned or diverged) hands over to TPE.
    for (const state of ['complete', 'pruned', 'diverged'] as const) assert.notDeepEqual(at([...done, trial(4, { x: 0.9 }, 0.9, state)]), random, state);
  });

  it('ranks by value in the study direction, ties by trial number', () => {
    const ts = [trial(0, {}, 0.5), trial(1, {}, 0.2), trial(2, {}, 0.9), trial(3, {}, 0.2), trial(4, {}, Number.POSITIVE_INFINITY)];
    assert.deepEqual(rankTrials(ts, 'minimize').ranked.map((t) => t.number), [1, 3, 0, 2, 4]);
    assert.deepEqual(rankTrials(ts, 'maximize').ranked.map((t) => t.number), [2, 0, 1, 3, 4]);
    // Running, valueless and diverged trials last, by number; pruned after complete whatever their value.
    const mixed = [trial(5, {}, null, 'running'), trial(2, {}, 0.01, 'pruned'), trial(3, {}, 0.5), trial(1, {}, null), trial(0, {}, 0.0, 'diverged'), trial(6, {}, 0.005, 'pruned'), trial(4, {}, Number.NaN)];
    const { ranked, finished } = rankTrials(mixed, 'minimize');
    assert.deepEqual(ranked.map((t) => t.number), [3, 6, 2, 0, 1, 4, 5]);
    assert.equal(finished, 6);
  });

  it('ranks tied values by trial number whatever order the history comes in', () => {
    const tied = [5, 2, 9, 1, 7, 0, 3].map((n) => trial(n, {}, 0.3));
    assert.deepEqual(rankTrials(tied, 'minimize').ranked.map((t) => t.number), [0, 1, 2, 3, 5, 7, 9]);
    assert.deepEqual(rankTrials([trial(4, {}, 0.3), trial(8, {}, 0.1), ...tied], 'maximize').ranked.map((t) => t.number), [0, 1, 2, 3, 4, 5, 7, 9, 8]);
  });

  it('draws a conditional parameter that only some trials have from those that have it, jointly or not', () => {
    // `width` exists only where `kind` is wide (as a `when:` parameter): half the trials lack it.
    // γ(20) = 2: the good trials are 0 (wide, at 11) and 1 (narrow); 2 is at 11.2, the later wide ones at about 18.
    const P: Record<string, Distribution> = { kind: { type: 'categorical', values: ['narrow', 'wide'] }, width: { type: 'uniform', min: 10, max: 20 } };
    const history = Array.from({ length: 20 }, (_, i) =>
      trial(i, i % 2 === 0 ? { kind: 'wide', width: (i < 4 ? 11 : 18) + (i % 4) * 0.1 } : { kind: 'narrow' }, i / 100));
    for (const multivariate of [false, true]) {
      const widths = proposals(history, 30, { parameters: P, options: { multivariate } }).map((p) => p['width'] as number);
      assert.ok(widths.every((w) => Number.isFinite(w) && w >= 10 && w <= 20), `multivariate ${String(multivariate)}: ${widths.join(' ')}`);
      assert.ok(widths.filter((w) => w < 13).length >= 24, `multivariate ${String(multivariate)}: near the good 11.x: ${widths.filter((w) => w < 13).length} of 30`);
    }
  });

  it('proposes near the good trials and away from the bad, in either direction', () => {
    // 20 trials: 10 around 0.2 with values 0.00..0.09, 10 around 0.8 with values 1.00..1.09. γ(20) = 2.
    const history = Array.from({ length: 20 }, (_, i) => trial(i, { x: i < 10 ? 0.15 + i * 0.01 : 0.75 + (i - 10) * 0.01 }, (i < 10 ? 0 : 1) + (i % 10) / 100));
    const xs = (direction: Direction): number[] => proposals(history, 60, { direction }).map((p) => p['x'] as number);
    const low = xs('minimize');
    assert.ok(low.every((x) => x >= 0 && x <= 1));
    assert.ok(low.filter((x) => x < 0.5).length >= 54, `minimize: ${low.filter((x) => x < 0.5).length} of 60 below 0.5`);
    // Maximizing, the good ones are those at 0.8 with the largest values.
    const high = xs('maximize');
    assert.ok(high.filter((x) => x > 0.5).length >= 54, `maximize: ${high.filter((x) => x > 0.5).length} of 60 above 0.5`);
  });

  it('proposes the category of the good trials, and a category no trial tried before a bad one', () => {
    const C: Record<string, Distribution> = { opt: { type: 'categorical', values: ['sgd', 'adam', 'rmsprop'] } };
    // γ(10) = 1: the one good trial chose adam, the nine bad ones sgd. By hand (Optuna's prior weight):
    // l = (adam-kernel + prior) / 2 = [0.2667, 0.4667, 0.2667]; g: [0.795, 0.1026, 0.1026];
    // l/g = [0.34, 4.55, 2.60]: adam whenever it is among the 24 candidates, else rmsprop, never sgd.
    const history = [trial(0, { opt: 'adam' }, 0), ...Array.from({ length: 9 }, (_, i) => trial(i + 1, { opt: 'sgd' }, 1))];
    const picks = proposals(history, 40, { parameters: C }).map((p) => p['opt']);
    assert.ok(!picks.includes('sgd'));
    assert.ok(picks.filter((o) => o === 'adam').length >= 38, picks.join());
    // With only rmsprop among the candidates (one candidate, drawn from l), rmsprop over sgd: the untried beats the bad.
    for (const multivariate of [false, true]) {
      const single = proposals(history, 200, { parameters: C, options: { n_ei_candidates: 1, multivariate } }).map((p) => p['opt']);
      const share = (o: string): number => single.filter((v) => v === o).length / single.length;
      // One candidate is a draw from l: about 0.27 / 0.47 / 0.27 (two would give sgd 0.27² = 0.07).
      assert.ok(Math.abs(share('adam') - 0.4667) < 0.1 && Math.abs(share('sgd') - 0.2667) < 0.1, `${multivariate}: ${share('sgd')} ${share('adam')} ${share('rmsprop')}`);
    }
  });

  it('widens a lone good trial’s kernel to its distance from the prior’s centre', () => {
    // One good trial (γ(10) = 1) at 0.1 on [0, 1]: neighbours 0.1 and the prior's 0.5, width 0.4 (floor 1/3).
    // With one candidate a proposal is a draw from l = (N(0.1, 0.4) + N(0.5, 1)) / 2, both cut to [0, 1]:
    // P(x < 0.2) = (0.3366 + 0.1922) / 2 = 0.264 (a width of 0.6 would give 0.229, 0.9 0.211).
    const history = Array.from({ length: 10 }, (_, i) => trial(i, { x: i === 0 ? 0.1 : 0.6 + i * 0.04 }, i === 0 ? 0 : 1));
    const xs = proposals(history, 4000, { options: { n_ei_candidates: 1 } }).map((p) => p['x'] as number);
    const share = xs.filter((x) => x < 0.2).length / xs.length;
    assert.ok(Math.abs(share - 0.264) < 0.02, `P(x < 0.2) = ${share}`);
  });

  it('draws each parameter from its own stream: two alike parameters with alike trials still differ', () => {
    const P: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 }, y: { type: 'uniform', min: 0, max: 1 } };
    const history = Array.from({ length: 12 }, (_, i) => trial(i, { x: i / 12, y: i / 12 }, Math.abs(i / 12 - 0.5)));
    const ps = proposals(history, 10, { parameters: P });
    assert.ok(ps.some((p) => p['x'] !== p['y']), ps.map((p) => `${String(p['x'])}/${String(p['y'])}`).join());
  });

  it('with multivariate, keeps the good trials’ combinations that one-at-a-time draws split', () => {
    // γ(40) = 4 good trials on the diagonal corners, 36 bad ones on the other two corners: each
    // coordinate alone looks the same in good and bad trials, only the pairs differ.
    const XY: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 }, y: { type: 'uniform', min: 0, max: 1 } };
    const good = [[0.2, 0.2], [0.21, 0.19], [0.8, 0.8], [0.79, 0.81]];
    const bad = Array.from({ length: 36 }, (_, i) => (i % 2 === 0 ? [0.2 + (i % 5) * 0.005, 0.8] : [0.8, 0.2 + (i % 5) * 0.005]));
    const history = [...good, ...bad].map(([x, y], i) => trial(i, { x: x as number, y: y as number }, i < 4 ? 0 : 1));
    const offDiagonal = (multivariate: boolean): number => {
      const ps = proposals(history, 60, { parameters: XY, options: { multivariate } });
      return ps.filter((p) => ((p['x'] as number) - 0.5) * ((p['y'] as number) - 0.5) < 0).length / ps.length;
    };
    assert.ok(offDiagonal(true) < 0.1, `multivariate: ${offDiagonal(true)} off the diagonal`);
    assert.ok(offDiagonal(false) > 0.25, `univariate: ${offDiagonal(false)} off the diagonal`);
  });

  it('with multivariate, draws less where most trials were bad (a joint TPE blind to g(x) does not)', () => {
    // The 2-D form of tpe.test.ts's g(x)-blind check: γ(40) = 4 good trials, one at (0.2, 0.2) and three
    // among 36 bad ones crowded around (0.8, 0.8). l(x) alone would draw mostly in the crowd.
    const XY: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 }, y: { type: 'uniform', min: 0, max: 1 } };
    const good = [[0.2, 0.2], [0.78, 0.8], [0.8, 0.78], [0.82, 0.82]];
    const bad = Array.from({ length: 36 }, (_, i) => [0.725 + (i % 6) * 0.03, 0.725 + Math.floor(i / 6) * 0.03]);
    const history = [...good, ...bad].map(([x, y], i) => trial(i, { x: x as number, y: y as number }, i < 4 ? 0 : 1));
    const ps = proposals(history, 60, { parameters: XY, options: { multivariate: true } });
    const crowded = ps.filter((p) => [p['x'], p['y']].every((v) => (v as number) > 0.7 && (v as number) < 0.9)).length / ps.length;
    assert.ok(crowded < 0.2, `drew ${crowded} of its trials where 36 of 40 were bad`);
  });

  it('draws a parameter some trials lack on its own, beside the joint ones', () => {
    const P: Record<string, Distribution> = { x: { type: 'uniform', min: 0, max: 1 }, z: { type: 'uniform', min: 0, max: 1 } };
    // z is only in the bad trials: the good ones say nothing of it, so its draws spread over the range.
    const history = Array.from({ length: 20 }, (_, i) => trial(i, i < 2 ? { x: 0.1 } : { x: 0.9, z: 0.9 }, i < 2 ? 0 : 1));
    const ps = proposals(history, 40, { parameters: P, options: { multivariate: true } });
    assert.ok(ps.every((p) => (p['x'] as number) < 0.5), ps.map((p) => p['x']).join());
    assert.ok(ps.filter((p) => (p['z'] as number) < 0.5).length >= 20, ps.map((p) => p['z']).join());
  });

  it('with multivariate, widens each kernel by Scott’s rule over the trials and the prior, not by its neighbours', () => {
    // γ(20) = 2 good trials at 0.05 and 0.95. Joint kernels: σ = max(0.2 · 3^(−1/5), 1/4) = 0.25 (n = 2 trials + the prior).
    // With one candidate a proposal is a draw from l = (N(0.05, σ) + N(0.95, σ) + N(0.5, 1)) / 3, each cut to [0, 1]:
    // P(x < 0.15 or x > 0.85) = 0.366 by hand. The neighbours' widths (0.45) would give 0.288; Scott's rule at n = 1 (σ = 0.5), 0.284.
    const history = Array.from({ length: 20 }, (_, i) => trial(i, { x: i < 2 ? 0.05 + i * 0.9 : 0.4 + i * 0.01 }, i < 2 ? 0 : 1));
    const xs = proposals(history, 3000, { options: { n_ei_candidates: 1, multivariate: true } }).map((p) => p['x'] as number);
    const share = xs.filter((x) => x < 0.15 || x > 0.85).length / xs.length;
    assert.ok(Math.abs(share - 0.366) < 0.03, `P(x near a good trial) = ${share}`);
  });

  it('counts the trials that chose a good category against the untried ones only when they were bad', () => {
    // γ(11) = 2: both good trials chose adam; of the nine bad ones, one chose adam and eight sgd; no trial tried rmsprop.
    // By hand, l/g = [3.10, 0.31, 2.17] for adam, sgd, rmsprop: adam. A g(x) over every trial, the good ones too,
    // would give [1.92, 0.36, 2.50] and choose rmsprop whenever it is a candidate.
    const C: Record<string, Distribution> = { opt: { type: 'categorical', values: ['adam', 'sgd', 'rmsprop'] } };
    const history = Array.from({ length: 11 }, (_, i) => trial(i, { opt: i < 3 ? 'adam' : 'sgd' }, i < 2 ? 0 : 1));
    for (const multivariate of [false, true]) {
      const picks = proposals(history, 20, { parameters: C, options: { multivariate } }).map((p) => p['opt']);
      assert.deepEqual(new Set(picks), new Set(['adam']), `multivariate ${String(multivariate)}: ${picks.join()}`);
    }
  });

  it('leaves out of the joint kernels a trial whose stored value the range cannot take', () => {
    // The best trial ran when lr's range was linear, at lr = 0: nothing on a log range. The next best (lr 1e-3, adam)
    // is the one good trial TPE can use, jointly or not; the proposals are finite and mostly near it.
    const P: Record<string, Distribution> = { lr: { type: 'log_uniform_values', min: 1e-4, max: 1 }, opt: { type: 'categorical', values: ['sgd', 'adam'] } };
    const history = Array.from({ length: 20 }, (_, i) => trial(i, { lr: i === 0 ? 0 : i === 1 ? 1e-3 : 0.1 + i * 0.02, opt: i < 2 ? 'adam' : 'sgd' }, i < 2 ? 0 : 1));
    for (const multivariate of [false, true]) {
      const ps = proposals(history, 30, { parameters: P, options: { multivariate } });
      const lrs = ps.map((p) => p['lr'] as number);
      assert.ok(lrs.every((lr) => Number.isFinite(lr) && lr >= 1e-4 && lr <= 1), `multivariate ${String(multivariate)}: ${lrs.join(' ')}`);
      const near = ps.filter((p) => (p['lr'] as number) < 1e-2 && p['opt'] === 'adam').length;
      assert.ok(near >= 24, `multivariate ${String(multivariate)}: ${near} of 30 near the good trial`);
    }
  });

  it('returns constants as given and the keys sorted, only those named when names are given', () => {
    const P: Record<string, Distribution> = { b: { type: 'uniform', min: 0, max: 1 }, a: { type: 'constant', value: 'relu' }, c: { type: 'int_uniform', min: 1, max: 3 } };
    const history = Array.from({ length: 6 }, (_, i) => trial(i, { a: 'relu', b: i / 6, c: 1 + (i % 3) }, i));
    for (const multivariate of [false, true]) {
      const p = tpeParams({ seed: 1, trial: 7, parameters: P, history, direction: 'minimize', options: { ...OPTS, multivariate } });
      assert.deepEqual(Object.keys(p), ['a', 'b', 'c']);
      assert.equal(p['a'], 'relu');
      assert.ok([1, 2, 3].includes(p['c'] as number));
    }
    const named = tpeParams({ seed: 1, trial: 7, parameters: P, history, direction: 'minimize', options: OPTS, names: ['c', 'a'] });
    assert.deepEqual(Object.keys(named), ['a', 'c']);
  });
});
