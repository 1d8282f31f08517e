import { diagTemplate } from '../acct/diag-template.ts';
import { annotateDiag } from '../acct/provider-codes.ts';
import type { Filters } from '../filters.ts';
import type { SliceKey } from '../queries/get-slice-counts.ts';
import { getTopDiagnostics } from '../queries/get-top-diagnostics.ts';
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
  return {
    from,
    to,
    domain: [],
    provider: [slice.provider],
    vmta: slice.kind === 'vmta' ? [slice.sender] : [],
    pool: slice.kind === 'pool' ? [slice.sender] : [],
    sourceIp: [],
    job: [],
    bounceCategory: [],
    source: [],
  };
}

/** The top reason behind a bounce or deferral incident: diagnostics of its records, grouped into templates. */
export async function findEvidence(
  slice: SliceKey,
  metric: Metric,
  from: Date,
  to: Date,
): Promise<Evidence | null> {
  if (metric === 'complaint') return null;
  const { rows } = await getTopDiagnostics(sliceFilters(slice, from, to), 200, TYPES[metric]);
  const byTemplate = new Map<string, { sample: string; count: number }>();
  let of = 0;
  for (const r of rows) {
    of += r.total;
    const template = diagTemplate(r.diag);
    const t = byTemplate.get(template);
    if (t) t.count += r.total;
    else byTemplate.set(template, { sample: r.diag, count: r.total });
  }
  let best: [string, { sample: string; count: number }] | null = null;
  for (const entry of byTemplate) if (!best || entry[1].count > best[1].count) best = entry;
  if (!best) return null;
  const a = annotateDiag(best[1].sample, slice.provider);
  return {
    template: best[0],
    sample: best[1].sample,
    count: best[1].count,
    of,
    annotation: a ? { title: a.title, meaning: a.meaning, fix: a.fix } : null,
  };
}
