import type { SuppressionReason } from '@/lib/queries/suppression-sql.ts';

/** How the screen names each reason: a count's label and one entry's reason. */
export const REASON_LABELS: Record<SuppressionReason, { many: string; one: string }> = {
  'hard-bounce': { many: 'Hard bounces', one: 'hard bounce' },
  'remote-bounce': { many: 'Remote bounces', one: 'remote bounce' },
  complaint: { many: 'Complaints', one: 'complaint' },
};
