import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One known provider reply: how to recognise it in a diagnostic and what it means. */
export interface ProviderCode {
  id: string;
  /** Provider as lib/acct/providers.ts names it ('Google', 'Yahoo', 'Microsoft'…); null for any. */
  provider: string | null;
  /** Regular expression source, tested case-insensitively against the diagnostic or its template. */
  match?: string;
  /** Exact code (`TSS04`, `5.7.511`), matched as a whole token. */
  code?: string;
  title: string;
  meaning: string;
  fix: string;
  /** A catch-all (`5.7.x`, `AS(…)`): tried only after every specific entry. */
  fallback?: boolean;
}

const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, `${what} is empty`);

const entrySchema = z
  .strictObject({
    id: text('id'),
    provider: text('provider').nullable().default(null),
    match: z
      .string()
      .min(1, 'match is empty')
      .refine((source) => compiles(source), { error: 'match is not a valid regular expression' })
      .optional(),
    code: text('code').optional(),
    title: text('title'),
    meaning: text('meaning'),
    fix: text('fix'),
    fallback: z.boolean().optional(),
  })
  .refine((e) => (e.match === undefined) !== (e.code === undefined), {
    error: 'needs exactly one of "match" (a regular expression) or "code" (an exact code)',
  });

const fileSchema = z.array(entrySchema, { error: 'must be a JSON array of provider code entries' });

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates parsed provider-code entries; `origin` names the file in the error. Throws on the first
 * bad entry with its index and id, because a silently dropped entry would just never annotate.
 */
export function parseProviderCodes(json: unknown, origin: string): ProviderCode[] {
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const [index, field] = issue.path;
    if (typeof index !== 'number') throw new Error(`provider codes file ${origin}: ${issue.message}`);
    const raw = (json as unknown[])[index] as { id?: unknown } | null;
    const id = typeof raw?.id === 'string' ? ` ("${raw.id}")` : '';
    const where = field === undefined ? '' : `${String(field)}: `;
    throw new Error(`provider codes file ${origin}: entry ${index}${id}: ${where}${issue.message}`);
  }
  const seen = new Set<string>();
  for (const entry of result.data) {
    if (seen.has(entry.id)) throw new Error(`provider codes file ${origin}: id "${entry.id}" appears twice`);
    seen.add(entry.id);
  }
  return result.data;
}

/** Reads and validates a provider codes JSON file (an array of entries). */
export function readProviderCodesFile(path: string): ProviderCode[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`provider codes file ${path}: cannot be read (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (err) {
    throw new Error(`provider codes file ${path}: is not valid JSON (${(err as Error).message})`);
  }
  return parseProviderCodes(json, path);
}
