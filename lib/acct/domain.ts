type UrlModule = typeof import('node:url');

/**
 * node:url's domainToUnicode (UTS #46), looked up when first needed rather than imported: the
 * filter parsing that normalises a domain= value (lib/filters.ts) is also bundled for the browser,
 * which has no node:url; there, where no query is built, a name stays as written.
 */
function domainToUnicode(domain: string): string {
  const url = globalThis.process?.getBuiltinModule?.('node:url') as UrlModule | undefined;
  return url ? url.domainToUnicode(domain) : domain;
}

// Domains repeat millions of times in a file, so each distinct raw spelling is normalised once.
// The cache is cleared when it grows past this bound rather than kept as an LRU: cheap, and a
// file with more distinct domains than this just pays the normalisation again.
const MAX_CACHED = 50_000;
const cache = new Map<string, string>();

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return true;
  return false;
}

/** Lower-cases a domain and shows IDN (punycode `xn--` labels or mixed-case Unicode) as Unicode. */
export function normaliseDomain(raw: string): string {
  const cached = cache.get(raw);
  if (cached !== undefined) return cached;
  let domain = raw.trim().toLowerCase();
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (domain.includes('xn--') || hasNonAscii(domain)) {
    // domainToUnicode returns '' for a name it cannot map; keep what we had rather than lose it.
    domain = domainToUnicode(domain) || domain;
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(raw, domain);
  return domain;
}

/**
 * A Unicode domain's ASCII form, as DNS tools and some mail logs write it (`münchen.de` →
 * `xn--mnchen-3ya.de`), by the URL API (UTS #46, the same in the browser); an ASCII name, or one
 * that is no host name, as it is.
 */
export function domainToAscii(domain: string): string {
  if (!hasNonAscii(domain) || /[\s/?#@:\\%]/.test(domain)) return domain;
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return domain;
  }
}

/**
 * The recipient domain: the part after the last `@`. Still valid when `privacy-policy` redacted the
 * local part (`...@gmail.com`, `<hash>@gmail.com`). '' when there is no domain.
 */
export function recipientDomain(rcpt: string | null): string {
  if (!rcpt) return '';
  const at = rcpt.lastIndexOf('@');
  if (at === -1) return '';
  return normaliseDomain(rcpt.slice(at + 1));
}

/**
 * The domain part of a `domain/vmta` queue name. It can be Unicode already (`bücher.de`) or a
 * rollup name (`yahoo.rollup`); '' when there is none.
 */
export function queueDomain(queue: string | null): string {
  if (!queue) return '';
  const slash = queue.indexOf('/');
  return normaliseDomain(slash === -1 ? queue : queue.slice(0, slash));
}
