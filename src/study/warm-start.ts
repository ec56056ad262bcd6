/** `train.init_from`: which kept model a warm start reads, checked before any study is made. */
import { join } from 'node:path';
import type { Spec } from '../core/spec.js';
import type { TrialTask } from '../core/trainer.js';
import { fixedTask } from '../diagnose/fixed-task.js';
import { specErrorAt } from '../spec/init-from.js';
import type { Storage } from '../store/storage.js';
import { isKeptModelDir } from '../train/keep/marker.js';

const AT = ['train', 'init_from'];

/**
 * The kept model `init_from` names, with its freeze count. A study, trial or model that is
 * not there, or weights that do not fit the spec's network (at its fixed settings), are
 * spec errors at `train.init_from`.
 */
export async function resolveInitFrom(storage: Storage, spec: Spec, studyName: string, root: string | null): Promise<TrialTask['init_from']> {
  const init = spec.init_from;
  if (init === undefined) return undefined;
  const name = init.study ?? studyName;
  const study = await storage.getStudy(name);
  if (study === null) throw specErrorAt(spec, AT, `no study '${name}' in ${storage.location} to start from`);
  const trial = await storage.getTrial(study.id, init.trial);
  if (trial === null) throw specErrorAt(spec, AT, `study '${name}' has no trial ${init.trial}`);
  const model = trial.attrs['model'];
  const dir = typeof model === 'string' && root !== null ? join(root, model) : null;
  if (dir === null || !isKeptModelDir(dir)) {
    throw specErrorAt(spec, AT, `trial ${init.trial} of study '${name}' has no kept model (state ${trial.state}; see keep_models)`);
  }
  const { checkFixedNetwork } = await import('../train/keep/check-warm.js');
  const problem = checkFixedNetwork(dir, fixedTask(spec), init.freeze);
  if (problem !== null) throw specErrorAt(spec, AT, problem);
  return { dir, freeze: init.freeze };
}
