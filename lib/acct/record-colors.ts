import type { CountKey } from './types.ts';

/**
 * One colour per record type, everywhere in the app (charts, legends, tables). Types of one family
 * differ in hue or lightness enough to tell apart in a stacked bar: remote bounces are pink, not
 * a second red beside bounces; queue deferrals a dark brown beside the deferrals' amber.
 */
export const RECORD_COLORS: Record<CountKey, string> = {
  delivered: '#16a34a',
  bounced: '#dc2626',
  deferred: '#d97706',
  queueDeferred: '#78350f',
  complaints: '#9333ea',
  received: '#2563eb',
  remoteBounced: '#db2777',
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
