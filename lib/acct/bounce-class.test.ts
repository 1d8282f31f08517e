import { afterEach, describe, expect, it } from 'vitest';
import {
  bounceClass,
  HARD_BOUNCE_CATEGORIES,
  hardBounceCategories,
  isHardBounce,
  parseHardBounceCategories,
  resetHardBounceCategories,
} from './bounce-class.ts';

afterEach(() => {
  delete process.env.ACCT_HARD_BOUNCE_CATEGORIES;
  resetHardBounceCategories();
});

const SOFT = [
  'bad-configuration',
  'bad-connection',
  'content-related',
  'invalid-sender',
  'message-expired',
  'no-answer-from-host',
  'other',
  'policy-related',
  'protocol-errors',
  'quota-issues',
  'relaying-issues',
  'routing-errors',
  'spam-related',
  'virus-related',
  'success',
  'site-custom',
];

describe('default hard/soft mapping (acct-format.md)', () => {
  it('treats bad-mailbox, bad-domain and inactive-mailbox as hard', () => {
    expect([...HARD_BOUNCE_CATEGORIES].sort()).toEqual(['bad-domain', 'bad-mailbox', 'inactive-mailbox']);
    for (const c of HARD_BOUNCE_CATEGORIES) {
      expect(isHardBounce(c)).toBe(true);
      expect(bounceClass(c)).toBe('hard');
    }
    expect(hardBounceCategories().sort()).toEqual(['bad-domain', 'bad-mailbox', 'inactive-mailbox']);
  });

  it.each(SOFT)('treats %s as soft', (category) => {
    expect(isHardBounce(category)).toBe(false);
    expect(bounceClass(category)).toBe('soft');
  });

  it('treats a missing category as soft and matches names exactly', () => {
    expect(isHardBounce(null)).toBe(false);
    expect(isHardBounce(undefined)).toBe(false);
    expect(isHardBounce('')).toBe(false);
    expect(isHardBounce('Bad-Mailbox')).toBe(false);
  });

  it('hands SQL builders a copy they cannot use to change the mapping', () => {
    const list = hardBounceCategories();
    list.push('policy-related');
    expect(isHardBounce('policy-related')).toBe(false);
    expect(hardBounceCategories()).toHaveLength(3);
  });
});

describe('ACCT_HARD_BOUNCE_CATEGORIES', () => {
  it('replaces the default list', () => {
    process.env.ACCT_HARD_BOUNCE_CATEGORIES = ' bad-mailbox , bad-domain,invalid-sender,my_site.cat ';
    expect(hardBounceCategories()).toEqual(['bad-mailbox', 'bad-domain', 'invalid-sender', 'my_site.cat']);
    expect(isHardBounce('invalid-sender')).toBe(true);
    expect(isHardBounce('my_site.cat')).toBe(true);
    expect(isHardBounce('inactive-mailbox')).toBe(false);
  });

  it('drops duplicates', () => {
    expect(parseHardBounceCategories('bad-mailbox,bad-mailbox')).toEqual(['bad-mailbox']);
  });

  it.each([
    ['', /lists no category/],
    [' , ', /lists no category/],
    ['bad-mailbox,,bad-domain', /empty item/],
    ["bad-mailbox,x' OR 1=1", /"x' OR 1=1" is not a bounce category name/],
    ['bad mailbox', /"bad mailbox" is not a bounce category name/],
  ])('rejects %j with a clear error, and keeps rejecting', (value, message) => {
    process.env.ACCT_HARD_BOUNCE_CATEGORIES = value;
    expect(() => isHardBounce('bad-mailbox')).toThrow(message);
    expect(() => hardBounceCategories()).toThrow(/^ACCT_HARD_BOUNCE_CATEGORIES: /);
  });
});
