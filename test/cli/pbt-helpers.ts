/** Reading a pbt study back for the tests: its trials, their epochs and each segment's lineage. */
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { openStorage } from '../../src/store/open.js';

/** A segment trial's `pbt` attribute, as the tests read it. */
export interface Lineage {
  member: number;
  start_epoch: number;
  end_epoch: number;
  from_trial: number | null;
  exploited: { member: number; trial: number; epoch: number } | null;
}

export const lineage = (t: FrozenTrial): Lineage => t.attrs['pbt'] as unknown as Lineage;

/** The trials and epochs of the only study in the storage at `location`. */
export async function loadStudy(location: string): Promise<{ trials: FrozenTrial[]; epochs: Map<number, EpochRecord[]> }> {
  const storage = await openStorage(location, { readOnly: true });
  try {
    const study = (await storage.listStudies())[0]!;
    return { trials: await storage.listTrials(study.id), epochs: await storage.getStudyEpochs(study.id) };
  } finally {
    await storage.close();
  }
}

/** Each member's furthest epoch, by member number. */
export function memberEnds(trials: readonly FrozenTrial[]): [number, number][] {
  const ends = new Map<number, number>();
  for (const t of trials) ends.set(lineage(t).member, Math.max(ends.get(lineage(t).member) ?? 0, lineage(t).end_epoch));
  return [...ends.entries()].sort((a, b) => a[0] - b[0]);
}
