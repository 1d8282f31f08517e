// Hard bounces are the recipients to suppress: the address or its domain does not exist or is
// disabled. Everything else (quota, policy, spam, content, expiry…) is soft: retrying or fixing the
// sender can still deliver it. acct-format.md: common practice is hard = bad-mailbox, bad-domain,
// inactive-mailbox. Sites with their own <bounce-category-patterns> set ACCT_HARD_BOUNCE_CATEGORIES.

/** The default hard-bounce categories; the effective list is hardBounceCategories(). */
export const HARD_BOUNCE_CATEGORIES: readonly string[] = Object.freeze([
  'bad-mailbox',
  'bad-domain',
  'inactive-mailbox',
]);

export type BounceClass = 'hard' | 'soft';

/** A PowerMTA category name: letters, digits, `-`, `_`, `.` (what bounce-category-patterns allow). */
const CATEGORY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

let configured: ReadonlySet<string> | null = null;
let configuredList: readonly string[] = HARD_BOUNCE_CATEGORIES;
let envError: Error | null = null;

/**
 * Parses an ACCT_HARD_BOUNCE_CATEGORIES value: a comma-separated list that replaces the default.
 * Throws a message naming the variable and the bad item.
 */
export function parseHardBounceCategories(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.every((item) => item === '')) {
    throw new Error('ACCT_HARD_BOUNCE_CATEGORIES: lists no category (unset it to use the default)');
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (item === '') throw new Error(`ACCT_HARD_BOUNCE_CATEGORIES: empty item in "${value}"`);
    if (!CATEGORY.test(item)) {
      throw new Error(
        `ACCT_HARD_BOUNCE_CATEGORIES: "${item}" is not a bounce category name (letters, digits, - _ .)`,
      );
    }
    seen.add(item);
  }
  return [...seen];
}

function ensureConfigured(): ReadonlySet<string> {
  if (configured) return configured;
  if (envError) throw envError;
  const value = process.env.ACCT_HARD_BOUNCE_CATEGORIES;
  try {
    configuredList =
      value === undefined ? HARD_BOUNCE_CATEGORIES : Object.freeze(parseHardBounceCategories(value));
  } catch (err) {
    // A bad value keeps failing loudly: silently falling back would misclassify every bounce.
    envError = err as Error;
    throw envError;
  }
  configured = new Set(configuredList);
  return configured;
}

/** Drops the cached configuration; the next call re-reads ACCT_HARD_BOUNCE_CATEGORIES. For tests. */
export function resetHardBounceCategories(): void {
  configured = null;
  configuredList = HARD_BOUNCE_CATEGORIES;
  envError = null;
}

/** The effective hard-bounce categories, e.g. for a bound `= ANY(${hardBounceCategories()})` in SQL. */
export function hardBounceCategories(): string[] {
  ensureConfigured();
  return [...configuredList];
}

/** Whether a bounce category (`bounceCat`, as stored) is a hard bounce. Empty or null is soft. */
export function isHardBounce(category: string | null | undefined): boolean {
  if (!category) return false;
  return ensureConfigured().has(category.trim());
}

export function bounceClass(category: string | null | undefined): BounceClass {
  return isHardBounce(category) ? 'hard' : 'soft';
}
