import { readFileSync } from 'node:fs';
import { normaliseDomain } from './domain.ts';
import { createProviderRules, type ProviderRules } from './provider-rules.ts';

/** `*` matches any run of characters (dots included); everything else is literal. */
function compileGlob(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/**
 * Reads a providers file, JSON `{ "Provider Name": ["domain.com", "*.pattern"] }`. A plain domain
 * also covers its subdomains. Throws an error naming the file and what is wrong with it, because a
 * silently ignored override would misattribute every record of those domains.
 */
export function readProviderOverrides(path: string): ProviderRules {
  const fail = (problem: string): never => {
    throw new Error(`providers file ${path}: ${problem}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot be read (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail('must be a JSON object mapping a provider name to an array of domains');
  }
  const rules = createProviderRules();
  for (const [provider, domains] of Object.entries(json as Record<string, unknown>)) {
    if (provider.trim() === '') fail('a provider name is empty');
    if (!Array.isArray(domains)) fail(`"${provider}" must map to an array of domain strings`);
    for (const entry of domains as unknown[]) {
      if (typeof entry !== 'string' || entry.trim() === '') {
        fail(`"${provider}" has an entry that is not a non-empty string: ${JSON.stringify(entry)}`);
      }
      const domain = (entry as string).trim().toLowerCase();
      if (domain.includes('*')) rules.patterns.push([compileGlob(domain), provider]);
      else rules.exact.set(normaliseDomain(domain), provider);
    }
  }
  return rules;
}
