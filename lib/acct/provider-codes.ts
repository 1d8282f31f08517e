import builtinJson from './provider-codes.json' with { type: 'json' };
import { type ProviderCode, parseProviderCodes, readProviderCodesFile } from './provider-codes-file.ts';

export type { ProviderCode } from './provider-codes-file.ts';

/** What a known provider code means, for a diagnostic or its template. */
export interface Annotation {
  id: string;
  provider: string | null;
  title: string;
  meaning: string;
  fix: string;
  /** 'file' when it comes from ACCT_PROVIDER_CODES_FILE. */
  source: 'builtin' | 'file';
}

interface Compiled {
  re: RegExp;
  annotation: Annotation;
  fallback: boolean;
}

const BUILTIN: readonly ProviderCode[] = parseProviderCodes(builtinJson, 'lib/acct/provider-codes.json');

/** An exact code is a whole token: `TS01` must not match inside `TS010`, nor `5.7.1` inside `5.7.12`. */
function codePattern(code: string): string {
  return `(?<![\\w.])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w]|\\.\\w)`;
}

function compile(entry: ProviderCode, source: Annotation['source']): Compiled {
  const pattern = entry.code !== undefined ? codePattern(entry.code) : (entry.match as string);
  return {
    re: new RegExp(pattern, 'i'),
    fallback: entry.fallback === true,
    annotation: {
      id: entry.id,
      provider: entry.provider,
      title: entry.title,
      meaning: entry.meaning,
      fix: entry.fix,
      source,
    },
  };
}

let fileEntries: ProviderCode[] = [];
let table: Compiled[] = [];
const byProvider = new Map<string, Compiled[]>();
const MAX_CACHED = 10_000;
const cache = new Map<string, Annotation | null>();
// The env file is read on first use, once; a bad file keeps failing loudly rather than being skipped.
let envChecked = false;
let envError: Error | null = null;

function rebuild(): void {
  const overridden = new Set(fileEntries.map((e) => e.id));
  table = [
    ...fileEntries.map((e) => compile(e, 'file')),
    ...BUILTIN.filter((e) => !overridden.has(e.id)).map((e) => compile(e, 'builtin')),
  ];
  byProvider.clear();
  cache.clear();
}
rebuild();

/** Installs a provider codes file: its entries are tried first, and replace built-ins with the same id. */
export function loadProviderCodes(path: string): void {
  fileEntries = readProviderCodesFile(path);
  envChecked = true;
  envError = null;
  rebuild();
}

/** Drops the file's entries; the next lookup re-reads ACCT_PROVIDER_CODES_FILE. For tests. */
export function resetProviderCodes(): void {
  fileEntries = [];
  envChecked = false;
  envError = null;
  rebuild();
}

/** Reads ACCT_PROVIDER_CODES_FILE now: a bad file stops a process at start, not at a first page. */
export function checkProviderCodesFile(): void {
  ensureEnvCodes();
}

function ensureEnvCodes(): void {
  if (envError) throw envError;
  envChecked = true;
  const path = process.env.ACCT_PROVIDER_CODES_FILE;
  if (!path) return;
  try {
    loadProviderCodes(path);
  } catch (err) {
    envError = new Error(`ACCT_PROVIDER_CODES_FILE: ${(err as Error).message}`);
    throw envError;
  }
}

/**
 * Order of trial for a provider: the site's file first, then this provider's codes, then other
 * providers' (a corporate domain hosted at Microsoft 365 is 'Other' but answers with S3150), then
 * generic ones; catch-alls (`5.7.x`, `AS(…)`) last. Within a rank, file order.
 */
function entriesFor(provider: string | undefined): Compiled[] {
  const key = provider ?? '';
  let list = byProvider.get(key);
  if (list) return list;
  const rank = (c: Compiled): number => {
    const p = c.annotation.provider;
    const specificity = p === null ? 2 : p === provider ? 0 : 1;
    return (c.fallback ? 10 : 0) + (c.annotation.source === 'file' ? 0 : 3) + specificity;
  };
  list = table
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.c);
  byProvider.set(key, list);
  return list;
}

/**
 * The most specific known explanation of a diagnostic (raw `dsnDiag` or its template), preferring
 * codes of `provider` when given; null when nothing is known about it.
 */
export function annotateDiag(text: string, provider?: string): Annotation | null {
  if (!envChecked || envError) ensureEnvCodes();
  const key = `${provider ?? ''}\u0000${text}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let found: Annotation | null = null;
  for (const entry of entriesFor(provider)) {
    if (entry.re.test(text)) {
      found = entry.annotation;
      break;
    }
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, found);
  return found;
}

/** Every known code, file entries first: for a reference page or documentation. */
export function listProviderCodes(): readonly Annotation[] {
  if (!envChecked || envError) ensureEnvCodes();
  return table.map((c) => c.annotation);
}
