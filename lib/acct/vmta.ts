import type { AcctRecord } from './types.ts';

/**
 * The VirtualMTA a record counts under ('' for none). PowerMTA may log a pool's name in `vmta` (a
 * received record injected into a pool: the pool picks the VirtualMTA later, at delivery), and
 * then `vmtaPool` holds the same name. VirtualMTA and pool names share one namespace in PowerMTA's
 * configuration, so `vmta` equal to `vmtaPool` can only be a pool: such a record has no VirtualMTA
 * yet, and counts under its pool only. The raw row keeps both fields as logged; SQL reads the same
 * rule as `NULLIF(vmta, vmta_pool)` (RAW_VMTA in lib/queries/count-query.ts).
 */
export function sendingVmta(r: Pick<AcctRecord, 'vmta' | 'vmtaPool'>): string {
  const v = r.vmta ?? '';
  return v === (r.vmtaPool ?? '') ? '' : v;
}
