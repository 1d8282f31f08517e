/**
 * Runs once when the Next.js server starts (`next start`, also under `npm start`): a bad
 * configuration stops it with exit 2 and a message naming each variable, as the worker and
 * `npm start` do, instead of a server whose pages fail one by one.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { onAppStart } = await import('./lib/app-env.ts');
  onAppStart();
}
