/**
 * The journal's operations: one JSON line each, replayed in order onto a MemoryStorage
 * whose clock reads each line's time, so every process that replays the log reaches the
 * same state. A line records an operation that succeeded when it was written; the ones
 * that allocate (createTrial, claimUnfinishedTrial) also record what they got, and the
 * replay checks it.
 */
import type { Attrs, EpochRecord, JsonValue } from '../core/types.js';
import type { MemoryStorage } from './memory.js';
import type { NewStudy, NewTrial, TrialFinish, TrialOwner, TrialTimes } from './storage.js';

export type JournalOp =
  | { op: 'createStudy'; study: NewStudy }
  | { op: 'updateStudySpec'; studyId: number; spec: Pick<NewStudy, 'specText' | 'specHash' | 'specJson'> }
  | { op: 'setStudyAttr'; studyId: number; key: string; value: JsonValue }
  | { op: 'createTrial'; studyId: number; worker: string; number: number; trial: NewTrial }
  | {
      op: 'claim';
      studyId: number;
      worker: string;
      staleBefore: string | null;
      orphanOwners: readonly string[];
      maxAttempts: number | null;
      number: number;
    }
  | { op: 'appendEpochs'; studyId: number; trialNumber: number; epochs: readonly EpochRecord[]; owner?: TrialOwner }
  | { op: 'heartbeat'; studyId: number; trialNumbers: readonly number[]; worker: string }
  | { op: 'finishTrial'; studyId: number; trialNumber: number; finish: TrialFinish; owner?: TrialOwner }
  | { op: 'setTrialAttrs'; studyId: number; trialNumber: number; attrs: Attrs }
  | { op: 'restoreTrialTimes'; studyId: number; trialNumber: number; times: TrialTimes };

/** A line as written: the operation and when (ISO-8601). */
export type JournalLine = JournalOp & { at: string };

function expectNumber(what: string, got: number | undefined, want: number): void {
  if (got !== want) throw new Error(`${what} gave trial ${String(got)} on replay, but the journal recorded ${want}`);
}

/** Applies `op` to `state` (its clock already set to the line's time); throws what the state throws. */
export async function applyOp(state: MemoryStorage, op: JournalOp): Promise<void> {
  switch (op.op) {
    case 'createStudy':
      await state.createStudy(op.study);
      return;
    case 'updateStudySpec':
      return state.updateStudySpec(op.studyId, op.spec);
    case 'setStudyAttr':
      return state.setStudyAttr(op.studyId, op.key, op.value);
    case 'createTrial': {
      const t = await state.createTrial(op.studyId, { cap: null, worker: op.worker, build: () => op.trial });
      return expectNumber('createTrial', t?.number, op.number);
    }
    case 'claim': {
      const { worker, staleBefore, orphanOwners, maxAttempts } = op;
      const t = await state.claimUnfinishedTrial(op.studyId, { worker, staleBefore, orphanOwners, maxAttempts });
      return expectNumber('claimUnfinishedTrial', t?.number, op.number);
    }
    case 'appendEpochs':
      return state.appendEpochs(op.studyId, op.trialNumber, op.epochs, op.owner);
    case 'heartbeat':
      return state.heartbeat(op.studyId, op.trialNumbers, op.worker);
    case 'finishTrial':
      await state.finishTrial(op.studyId, op.trialNumber, op.finish, op.owner);
      return;
    case 'setTrialAttrs':
      return state.setTrialAttrs(op.studyId, op.trialNumber, op.attrs);
    case 'restoreTrialTimes':
      return state.restoreTrialTimes(op.studyId, op.trialNumber, op.times);
  }
}
