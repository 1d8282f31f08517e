export { normaliseDomain, queueDomain, recipientDomain } from './domain.ts';
export { buildColumnMap, type ColumnMap, isHeaderRow } from './header.ts';
export { type NormaliseResult, normaliseFields, normaliseRow } from './normalise.ts';
export { type ParseLinesResult, parseLines } from './parse-lines.ts';
export { parseAcctTime } from './parse-time.ts';
export {
  complaintProvider,
  loadProviderOverrides,
  OTHER_PROVIDER,
  providerOf,
  resetProviderOverrides,
  UNKNOWN_PROVIDER,
} from './providers.ts';
export { type SplitOptions, type SplitResult, splitRecords } from './split-records.ts';
export * from './types.ts';
