import { describe, expect, it } from 'vitest';
import { domainToAscii, queueDomain, recipientDomain } from './domain.ts';

describe('recipientDomain', () => {
  it('takes the part after the last @, trimmed and lower-cased', () => {
    expect(recipientDomain('D@1181.com')).toBe('1181.com');
    expect(recipientDomain('"odd@local"@Example.COM ')).toBe('example.com');
    expect(recipientDomain('user@example.com.')).toBe('example.com');
  });

  it('still finds the domain of a redacted recipient (privacy-policy)', () => {
    expect(recipientDomain('...@gmail.com')).toBe('gmail.com');
    expect(recipientDomain('5f4dcc3b5aa765d61d8327deb882cf99@GMAIL.com')).toBe('gmail.com');
  });

  it('shows punycode (IDN) labels as Unicode', () => {
    expect(recipientDomain('info@xn--bcher-kva.de')).toBe('bücher.de');
    expect(recipientDomain('info@XN--BCHER-KVA.DE')).toBe('bücher.de');
    expect(recipientDomain('a@BÜCHER.de')).toBe('bücher.de');
    expect(recipientDomain('a@mail.xn--80ak6aa92e.com')).toBe('mail.аррӏе.com');
  });

  it('keeps an invalid punycode label as written rather than losing it', () => {
    expect(recipientDomain('a@xn--zz.com')).toBe('xn--zz.com');
  });

  it("is '' without a recipient or without an @", () => {
    expect(recipientDomain(null)).toBe('');
    expect(recipientDomain('')).toBe('');
    expect(recipientDomain('postmaster')).toBe('');
    expect(recipientDomain('user@')).toBe('');
  });
});

describe('queueDomain', () => {
  it('takes the domain of `domain/vmta`', () => {
    expect(queueDomain('1181.com/vmta48')).toBe('1181.com');
    expect(queueDomain('yahoo.rollup/vmta18')).toBe('yahoo.rollup');
  });

  it('keeps a Unicode queue domain as Unicode, the same spelling as a punycode rcpt gives', () => {
    expect(queueDomain('bücher.de/vmta29')).toBe('bücher.de');
    expect(queueDomain('xn--bcher-kva.de/vmta29')).toBe('bücher.de');
  });

  it('handles a queue without a vmta part, and none at all', () => {
    expect(queueDomain('Example.com')).toBe('example.com');
    expect(queueDomain(null)).toBe('');
    expect(queueDomain('')).toBe('');
  });
});

describe('domainToAscii', () => {
  it('writes a Unicode domain in punycode and leaves the rest as it is', () => {
    expect(domainToAscii('münchen.de')).toBe('xn--mnchen-3ya.de');
    expect(domainToAscii('bücher.de')).toBe('xn--bcher-kva.de');
    expect(domainToAscii('gmail.com')).toBe('gmail.com');
    expect(domainToAscii('(none)')).toBe('(none)');
    // Not a host name: a URL would read only a part of it.
    expect(domainToAscii('prüfung/1')).toBe('prüfung/1');
    expect(domainToAscii('a@bücher.de')).toBe('a@bücher.de');
    expect(domainToAscii('ü ü')).toBe('ü ü');
  });
});
