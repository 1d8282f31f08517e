import { normaliseDomain } from './domain.ts';
import { BUILTIN_PROVIDER_DOMAINS, BUILTIN_PROVIDER_PATTERNS } from './provider-map.ts';
import { readProviderOverrides } from './provider-overrides.ts';
import { createProviderRules, matchProvider, type ProviderRules } from './provider-rules.ts';

export const OTHER_PROVIDER = 'Other';
export const UNKNOWN_PROVIDER = 'Unknown';

const builtin = createProviderRules();
for (const [provider, domains] of Object.entries(BUILTIN_PROVIDER_DOMAINS)) {
  for (const domain of domains) builtin.exact.set(domain, provider);
}
builtin.patterns.push(...BUILTIN_PROVIDER_PATTERNS);

let overrides: ProviderRules | null = null;
// The env file is read on first use, once; a bad file keeps failing loudly rather than being skipped.
let envChecked = false;
let envError: Error | null = null;

const MAX_CACHED = 50_000;
const cache = new Map<string, string>();

/** Installs a providers file that extends the built-in map and wins over it. */
export function loadProviderOverrides(path: string): void {
  overrides = readProviderOverrides(path);
  envChecked = true;
  envError = null;
  cache.clear();
}

/** Drops any overrides; the next lookup re-reads ACCT_PROVIDERS_FILE. For tests. */
export function resetProviderOverrides(): void {
  overrides = null;
  envChecked = false;
  envError = null;
  cache.clear();
}

function ensureEnvOverrides(): void {
  if (envError) throw envError;
  envChecked = true;
  const path = process.env.ACCT_PROVIDERS_FILE;
  if (!path) return;
  try {
    loadProviderOverrides(path);
  } catch (err) {
    envError = new Error(`ACCT_PROVIDERS_FILE: ${(err as Error).message}`);
    throw envError;
  }
}

/**
 * Reads ACCT_PROVIDERS_FILE now, throwing its problem (a missing file, bad JSON) with the
 * variable named: the worker checks it at start-up, not at the first record it parses (an empty
 * folder hid a bad file until traffic arrived).
 */
export function checkProviderFile(): void {
  ensureEnvOverrides();
}

/** The mailbox provider of a (normalised) recipient domain: 'Other' when unmapped, 'Unknown' for ''. */
export function providerOf(domain: string): string {
  if (!envChecked || envError) ensureEnvOverrides();
  if (domain === '') return UNKNOWN_PROVIDER;
  const cached = cache.get(domain);
  if (cached !== undefined) return cached;
  let provider = overrides ? matchProvider(overrides, domain) : undefined;
  provider ??= matchProvider(builtin, domain) ?? OTHER_PROVIDER;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(domain, provider);
  return provider;
}

const COMPLAINT_KEYWORDS: readonly (readonly [RegExp, string])[] = [
  [/jmrp|hotmail|outlook|microsoft|msn\.com|live\.com/i, 'Microsoft'],
  [/yahoo|\baol\b|aol\.com/i, 'Yahoo'],
  [/comcast/i, 'Comcast'],
];

/** `dns; feedback.example.net` or `feedback.example.net (1.2.3.4)` → `feedback.example.net`. */
function reportingHost(reportingMta: string): string {
  const semi = reportingMta.indexOf(';');
  const host = (semi === -1 ? reportingMta : reportingMta.slice(semi + 1)).trim().split(/[\s(]/, 1)[0];
  return host.includes('.') ? normaliseDomain(host) : '';
}

/**
 * Provider of a complaint (`f`) row whose rcpt has no domain, as Microsoft JMRP reports usually are:
 * recognised from the report's source (format, feedback type, user agent, reporting host).
 */
export function complaintProvider(
  reportingMta: string | null,
  userAgent: string | null,
  feedbackType: string | null,
  feedbackFormat: string | null,
): string {
  const clues = [feedbackFormat, feedbackType, userAgent, reportingMta].filter(Boolean).join(' ');
  if (clues === '') return UNKNOWN_PROVIDER;
  for (const [re, provider] of COMPLAINT_KEYWORDS) if (re.test(clues)) return provider;
  const host = reportingMta ? reportingHost(reportingMta) : '';
  const provider = host ? providerOf(host) : OTHER_PROVIDER;
  return provider === OTHER_PROVIDER ? UNKNOWN_PROVIDER : provider;
}
