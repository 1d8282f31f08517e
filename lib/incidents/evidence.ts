import { type Filters, windowOnly } from '../filters.ts';
import { getBreakdown } from '../queries/get-breakdown.ts';
import { getReasons } from '../queries/get-reasons.ts';
import type { SliceKey } from '../queries/get-slice-counts.ts';
import { type Metric, RATIO_TYPES } from './rules.ts';

export interface Evidence {
  /** The reason most of the slice's failures give, as a template (ids, IPs, numbers masked). */
  template: string;
  /**
   * The template's key (templateKey; '' for records without a diagnostic): the records explorer's
   * `template=`, which selects the `count` records. Absent in incidents opened before it was kept.
   */
  key?: string;
  /** One full diagnostic line of it, from the slice's own records in the window (their latest). */
  sample: string;
  /** How many of the window's records give this reason, out of `of`. */
  count: number;
  of: number;
  /** What the provider means by it and what usually fixes it, when the code is known. */
  annotation: { title: string; meaning: string; fix: string } | null;
}

/**
 * A complaint incident's evidence: FBL reports carry no diagnostic, so what there is to act on is
 * where the complaints come from: the sending IPs and jobs (X-Job of the reported message) with
 * the most of them.
 */
export interface ComplaintEvidence {
  kind: 'complaint';
  /** Complaints of the slice in the window. */
  of: number;
  sourceIps: { key: string; n: number }[];
  jobs: { key: string; n: number }[];
}

/**
 * The top keys of `by` by complaints in the window (at most `limit`, with their counts), and the
 * complaints of every key together: the window's complaints (a breakdown partitions the slice).
 */
async function topComplaintKeys(filters: Filters, by: 'sourceIp' | 'job', limit: number) {
  const { rows } = await getBreakdown(filters, by, Number.MAX_SAFE_INTEGER);
  const total = rows.reduce((sum, r) => sum + r.counts.complaints, 0);
  const top = rows
    .filter((r) => r.counts.complaints > 0)
    .sort((a, b) => b.counts.complaints - a.counts.complaints || (a.key < b.key ? -1 : 1))
    .slice(0, limit)
    .map((r) => ({ key: r.key, n: r.counts.complaints }));
  return { top, total };
}

/** Where a complaint incident's complaints come from (ComplaintEvidence); null without any. */
export async function findComplaintEvidence(
  slice: SliceKey,
  from: Date,
  to: Date,
): Promise<ComplaintEvidence | null> {
  const filters = sliceFilters(slice, from, to);
  const [sourceIps, jobs] = await Promise.all([
    topComplaintKeys(filters, 'sourceIp', 3),
    topComplaintKeys(filters, 'job', 3),
  ]);
  const of = sourceIps.total;
  return of > 0 ? { kind: 'complaint', of, sourceIps: sourceIps.top, jobs: jobs.top } : null;
}

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
  const filters = sliceFilters(slice, from, to);
  // The failures the rate counts: `of` is the events of the slice over [from, to).
  const { total, rows } = await getReasons(filters, { types: RATIO_TYPES[metric].events, limit: 1 });
  const top = rows[0];
  if (!top) return null;
  const a = top.annotation;
  return {
    template: top.key ? top.template : '(no diagnostic)',
    key: top.key,
    sample: top.sample,
    count: top.total,
    of: total,
    annotation: a ? { title: a.title, meaning: a.meaning, fix: a.fix } : null,
  };
}
