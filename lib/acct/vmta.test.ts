import { describe, expect, it } from 'vitest';
import { sendingVmta } from './vmta.ts';

describe('sendingVmta', () => {
  it('is the logged VirtualMTA when it is not the pool', () => {
    expect(sendingVmta({ vmta: 'vmta3', vmtaPool: 'pool-a' })).toBe('vmta3');
    expect(sendingVmta({ vmta: 'vmta3', vmtaPool: null })).toBe('vmta3');
  });

  it('is none when the VirtualMTA field holds the pool (a received record injected into a pool)', () => {
    expect(sendingVmta({ vmta: 'pool-b', vmtaPool: 'pool-b' })).toBe('');
  });

  it('is none without a VirtualMTA', () => {
    expect(sendingVmta({ vmta: null, vmtaPool: 'pool-b' })).toBe('');
    expect(sendingVmta({ vmta: null, vmtaPool: null })).toBe('');
  });
});
