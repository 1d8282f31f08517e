import { openDatabase } from '../lib/db/database.ts';
import { parseEnv } from '../lib/env.ts';

// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (or the embedded database).
const env = parseEnv();
const db = await openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  port: env.EMBEDDED_PG_PORT,
});
console.log(db.applied.length ? `applied: ${db.applied.join(', ')}` : 'database schema is up to date');
await db.stop();
