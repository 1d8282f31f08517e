import { checkProviderCodesFile } from './acct/provider-codes.ts';
import { checkProviderFile } from './acct/providers.ts';
import { parseEnv } from './env.ts';
import { watchParent } from './parent-watch.ts';

/**
 * What the web app reads from the environment, checked when it starts (instrumentation.ts) and by
 * `npm start` before it starts anything: every variable parseEnv knows, the provider and provider
 * code files, and, for the app on its own (`next start`), DATABASE_URL. A bad value used to start
 * the app "fine" and turn pages into 500s later (LOG_LEVEL, ACCT_HARD_BOUNCE_CATEGORIES, a
 * missing ACCT_PROVIDER_CODES_FILE) while /api/health said 200. Throws one message naming each.
 */
export function checkAppEnv(opts: { requireDatabaseUrl: boolean }, source = process.env): void {
  parseEnv(source);
  if (opts.requireDatabaseUrl && !source.DATABASE_URL) {
    throw new Error(
      'Invalid configuration:\n  DATABASE_URL: the web app on its own needs it (npm start sets it to the database it opens)',
    );
  }
  checkProviderFile();
  checkProviderCodesFile();
}

/**
 * The web app's start (instrumentation.ts): checkAppEnv, or the message and exit 2; under
 * `npm start`, it also ends when `npm start` is gone (killed outright, it could not stop it).
 */
export function onAppStart(): void {
  try {
    checkAppEnv({ requireDatabaseUrl: true });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  watchParent(() => {
    console.error('npm start, which started this web server, is gone; stopping');
    process.exit(0);
  });
}
