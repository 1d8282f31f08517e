import { getPrisma } from '../db/client.ts';

/** A reason's template text (diag_template), or null for a key the database does not have. */
export async function getTemplateText(key: string): Promise<string | null> {
  const rows = await getPrisma().$queryRaw<{ template: string }[]>`
    SELECT template FROM diag_template WHERE key = ${key}`;
  return rows[0]?.template ?? null;
}
