import { sendingVmta } from '@/lib/acct/vmta.ts';

/**
 * A record's VirtualMTA field as logged. When it holds the record's pool (a received record
 * injected into a pool), it says so: the record counts under that pool and under no VirtualMTA
 * (sendingVmta in lib/acct/vmta.ts).
 */
export function VmtaCell({ vmta, pool }: { vmta: unknown; pool: unknown }) {
  const logged = vmta == null ? '' : String(vmta);
  if (!logged || sendingVmta({ vmta: logged, vmtaPool: pool == null ? null : String(pool) })) {
    return <>{logged}</>;
  }
  return (
    <span
      className="whitespace-nowrap"
      title="PowerMTA logged the pool as the VirtualMTA: no VirtualMTA was chosen yet, so the record counts under its pool and under VirtualMTA (none)"
    >
      {logged} <span className="text-gray-500 dark:text-gray-400">(pool)</span>
    </span>
  );
}
