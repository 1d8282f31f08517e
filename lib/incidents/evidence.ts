import { type Filters, windowOnly } from '../filters.ts';
import { getReasons } from '../queries/get-reasons.ts';
import type { SliceKey } from '../queries/get-slice-counts.ts';
import type { Metric } from './rules.ts';

export interface Evidence {
  /** The reason most of the slice's failures give, as a template (ids, IPs, numbers masked). */
  template: string;
  /** One full diagnostic line of it. */
  sample: string;
  /** How many of the window's records give this reason, out of `of`. */
  count: number;
  of: number;
  /** What the provider means by it and what usually fixes it, when the code is known. */
  annotation: { title: string; meaning: string; fix: string } | null;
}

const TYPES = { deferral: ['t'], bounce: ['b'] } as const;

export function sliceFilters(slice: SliceKey, from: Date, to: Date): Filters {
  return windowOnly(from, to, { provider: [slice.provider], [slice.kind]: [slice.sender] });
}

/**
 * The top reason behind a bounce or deferral incident: the same reason rollups the reasons screen
 * reads, over the incident's slice and minute-aligned window.
 */
export async function findEvidence(
  slice: SliceKey,
  metric: Metric,
  from: Date,
  to: Date,
): Promise<Evidence | null> {
  if (metric === 'complaint') return null;
  const { total, rows } = await getReasons(sliceFilters(slice, from, to), { types: TYPES[metric], limit: 1 });
  const top = rows[0];
  if (!top) return null;
  const a = top.annotation;
  return {
    template: top.key ? top.template : '(no diagnostic)',
    sample: top.sample,
    count: top.total,
    of: total,
    annotation: a ? { title: a.title, meaning: a.meaning, fix: a.fix } : null,
  };
}
