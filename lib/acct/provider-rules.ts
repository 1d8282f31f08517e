/** A compiled provider table: exact domains (which also cover their subdomains) and patterns. */
export interface ProviderRules {
  exact: Map<string, string>;
  patterns: (readonly [RegExp, string])[];
}

export function createProviderRules(): ProviderRules {
  return { exact: new Map(), patterns: [] };
}

/**
 * Looks a domain up: exact name first, then each parent (`mx.mail.yahoo.co.jp` → `yahoo.co.jp`),
 * then the patterns against the name and each parent. undefined when nothing matches.
 */
export function matchProvider(rules: ProviderRules, domain: string): string | undefined {
  for (let d = domain; ; ) {
    const hit = rules.exact.get(d);
    if (hit !== undefined) return hit;
    const dot = d.indexOf('.');
    if (dot === -1) break;
    d = d.slice(dot + 1);
  }
  if (rules.patterns.length === 0) return undefined;
  for (let d = domain; ; ) {
    for (const [re, provider] of rules.patterns) if (re.test(d)) return provider;
    const dot = d.indexOf('.');
    if (dot === -1) break;
    d = d.slice(dot + 1);
  }
  return undefined;
}
