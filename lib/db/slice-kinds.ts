// The `kind` column of the slice rollups (rollup_slice_minute/hour/day, see their migration): which
// single dimension a row counts by. The number is the dimension's position in the acct_dim tuple
// [type, source, rcpt_domain, provider, vmta, vmta_pool, source_ip, job_id, bounce_cat]; kind 0
// (the position of `type`, which every row carries anyway) counts all records under key ''.

export const SLICE_KIND = {
  all: 0,
  source: 1,
  domain: 2,
  provider: 3,
  vmta: 4,
  pool: 5,
  sourceIp: 6,
  job: 7,
  bounceCategory: 8,
} as const;
export type SliceKindName = keyof typeof SLICE_KIND;

export const SLICE_KIND_COUNT = 9;
/** Kinds kept at minute grain; the others exist at hour and day grain only. */
export const MINUTE_SLICE_KINDS: readonly number[] = [SLICE_KIND.all, SLICE_KIND.provider];
