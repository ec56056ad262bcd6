/**
 * A pbt study's members for the report: each member's segments in epoch order, with the
 * parameters each trained with, the study metric at each epoch, and where a segment began by
 * taking another member's weights (the donor's point at that epoch, for the exploit's jump).
 * Read from the trials' `pbt` attribute as stored; a trial without a well-formed one is left out.
 */
import type { EpochRecord, FrozenTrial, JsonValue } from '../core/types.js';
import type { ParamInfo, PbtData, PbtSegment } from './types.js';

interface Lineage {
  member: number;
  start: number;
  end: number;
  exploited: { member: number; trial: number; epoch: number } | null;
}

const int = (v: JsonValue | undefined): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function objectOf(v: JsonValue | undefined): Record<string, JsonValue> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

/** The trial's `pbt` attribute, when it is well formed. */
function lineageOf(t: FrozenTrial): Lineage | null {
  const a = objectOf(t.attrs['pbt']);
  if (a === null || !int(a['member']) || !int(a['start_epoch']) || !int(a['end_epoch'])) return null;
  const e = objectOf(a['exploited']);
  const exploited = e !== null && int(e['member']) && int(e['trial']) && int(e['epoch']) ? { member: e['member'], trial: e['trial'], epoch: e['epoch'] } : null;
  return { member: a['member'], start: a['start_epoch'], end: a['end_epoch'], exploited };
}

/**
 * The metric after each epoch, at the count of epochs trained (a record numbered e is the
 * model after e + 1 epochs), so a segment's schedule [start, end] and its curve share an axis.
 */
function curveOf(epochs: readonly EpochRecord[], metric: string): [number, number | null][] {
  return epochs.map((e) => {
    const v = e.metrics[metric];
    return [e.epoch + 1, v !== undefined && Number.isFinite(v) ? v : null];
  });
}

/** The members of a pbt study (null when no trial is a pbt segment). */
export function pbtOf(trials: readonly FrozenTrial[], curves: ReadonlyMap<number, readonly EpochRecord[]>, params: readonly ParamInfo[], metric: string): PbtData | null {
  const segments = new Map<number, PbtSegment & { member: number }>();
  for (const t of trials) {
    const l = lineageOf(t);
    if (l === null) continue;
    segments.set(t.number, {
      trial: t.number,
      member: l.member,
      state: t.state,
      start: l.start,
      end: l.end,
      params: Object.fromEntries(params.map((p) => [p.name, t.params[p.name] ?? null])),
      curve: curveOf(curves.get(t.number) ?? [], metric),
      exploited: l.exploited === null ? null : { ...l.exploited, value: null },
    });
  }
  if (segments.size === 0) return null;
  // The donor's point: its segment's last recorded value, at the epoch the weights were taken.
  for (const s of segments.values()) {
    if (s.exploited === null) continue;
    const donor = segments.get(s.exploited.trial)?.curve.find(([x]) => x === s.exploited?.epoch);
    s.exploited.value = donor?.[1] ?? null;
  }
  const members = new Map<number, PbtSegment[]>();
  for (const { member, ...s } of segments.values()) members.set(member, [...(members.get(member) ?? []), s]);
  return {
    metric,
    members: [...members.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([member, list]) => ({ member, segments: list.sort((a, b) => a.start - b.start || a.trial - b.trial) })),
  };
}
