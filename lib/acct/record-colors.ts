import type { CountKey } from './types.ts';

/** One colour per record type, everywhere in the app (charts, legends, tables). */
export const RECORD_COLORS: Record<CountKey, string> = {
  delivered: '#16a34a',
  bounced: '#dc2626',
  deferred: '#d97706',
  queueDeferred: '#a16207',
  complaints: '#9333ea',
  received: '#2563eb',
  remoteBounced: '#be123c',
  remoteStatus: '#64748b',
};

export const COUNT_LABELS: Record<CountKey, string> = {
  delivered: 'Delivered',
  bounced: 'Bounced',
  deferred: 'Deferred',
  queueDeferred: 'Queue deferred',
  complaints: 'Complaints',
  received: 'Received',
  remoteBounced: 'Remote bounced',
  remoteStatus: 'Remote status',
};
