import { describe, expect, it } from 'vitest';
import { dsnClass, dsnMeaning } from './dsn-codes.ts';

describe('enhanced status codes', () => {
  it('are named as the IANA registry names them', () => {
    expect(dsnMeaning('5.1.1')).toBe('Bad destination mailbox address');
    expect(dsnMeaning('4.7.0')).toBe('Other or undefined security status');
    expect(dsnMeaning('5.7.26')).toBe('Multiple authentication checks failed');
    expect(dsnMeaning('4.4.7')).toBe('Delivery time expired');
    expect(dsnMeaning('5.1.10')).toBe('Recipient address has null MX');
    expect(dsnMeaning('2.0.0')).toBe('Other undefined status');
  });
  it('say when a detail is not in the registry, with its subject', () => {
    expect(dsnMeaning('5.7.99')).toBe('Other or undefined security status (7.99 not in the registry)');
    expect(dsnMeaning('4.9.1')).toBe('9.1 not in the registry');
    // Leading zeros are the same code.
    expect(dsnMeaning('5.01.01')).toBe('Bad destination mailbox address');
  });
  it('have a class by their first digit, and text that is not a code has none', () => {
    expect(dsnClass('5.1.1')).toBe('permanent');
    expect(dsnClass('4.2.2')).toBe('transient');
    expect(dsnClass('2.0.0')).toBe('success');
    for (const text of ['', '550', '3.1.1', '5.1', '5.1.1.1', 'x.1.1']) {
      expect(dsnClass(text), text).toBeNull();
      expect(dsnMeaning(text), text).toBeNull();
    }
  });
});
