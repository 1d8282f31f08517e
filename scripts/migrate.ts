import { DatabaseConfigError, openDatabase } from '../lib/db/database.ts';
import { parseEnv } from '../lib/env.ts';

// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (or the embedded database).
// Exit 2 on a configuration error (a bad variable, a database that does not exist), 1 on others.
let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
try {
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
  });
  console.log(db.applied.length ? `applied: ${db.applied.join(', ')}` : 'database schema is up to date');
  await db.stop();
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof DatabaseConfigError ? 2 : 1);
}
