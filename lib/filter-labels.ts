/** The filters the filter bar offers, with their labels (shared by server pages and the bar). */
export const FILTER_LABELS = {
  provider: 'Provider',
  domain: 'Domain',
  vmta: 'VirtualMTA',
  pool: 'Pool',
  sourceIp: 'Sending IP',
  job: 'Job',
  source: 'Source host',
} as const;
export type FilterName = keyof typeof FILTER_LABELS;
