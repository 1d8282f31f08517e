import { ParamError, single } from './filters.ts';

/** The mailbox providers' bulk-sender limits (Gmail, Yahoo): keep under 0.1 %, never reach 0.3 %. */
export const COMPLAINT_LIMITS = [
  { rate: 0.001, label: '0.1 % keep under', level: 'warning' },
  { rate: 0.003, label: '0.3 % limit', level: 'critical' },
] as const;

export type ComplaintStatus = 'ok' | 'warning' | 'critical' | 'low-volume' | 'no-delivery';

/** The limits' rates, for formatPercent (a rate is never rounded onto the other side of one). */
export const COMPLAINT_LIMIT_RATES: readonly number[] = COMPLAINT_LIMITS.map((l) => l.rate);

/** Deliveries a slice needs before its complaint rate is judged (`minDelivered=`, default 1,000). */
export const DEFAULT_MIN_DELIVERED = 1000;

export function parseMinDelivered(params: URLSearchParams): number {
  const v = single(params, 'minDelivered');
  if (v === undefined) return DEFAULT_MIN_DELIVERED;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 1_000_000_000) {
    throw new ParamError('minDelivered must be a whole number from 1 to 1000000000', 'minDelivered');
  }
  return Number(v);
}

/**
 * Where a slice stands against the limits. Rates on little volume are noise (3 complaints on 200
 * deliveries is 1.5 %), so a slice under `minDelivered` is reported as such, not as a breach.
 */
export function complaintStatus(
  complaints: number,
  delivered: number,
  minDelivered: number,
): ComplaintStatus {
  if (delivered === 0) return 'no-delivery';
  if (delivered < minDelivered) return 'low-volume';
  const rate = complaints / delivered;
  if (rate >= COMPLAINT_LIMITS[1].rate) return 'critical';
  if (rate >= COMPLAINT_LIMITS[0].rate) return 'warning';
  return 'ok';
}
