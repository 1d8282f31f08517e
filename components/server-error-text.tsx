'use client';

import { useEffect, useState } from 'react';

/**
 * What went wrong, in words. A production build hides a server component's error message (React
 * sends only a digest, "Minified React error #441"), which told the reader nothing; the usual
 * cause is the database, so /api/health is asked and its answer shown. Errors raised in the
 * browser keep their own message.
 */
export function ServerErrorText({ error }: { error: Error & { digest?: string } }) {
  const server = Boolean(error.digest) || /React error #441/.test(error.message);
  const [health, setHealth] = useState<string | null>(null);
  useEffect(() => {
    if (!server) return;
    let gone = false;
    fetch('/api/health', { cache: 'no-store' })
      .then(async (res) => {
        const body = (await res.json()) as {
          database?: string;
          error?: string;
          pendingMigrations?: string[];
        };
        if (gone) return;
        if (body.database === 'down') setHealth('The database is unreachable; the app reconnects by itself.');
        else if (body.pendingMigrations?.length)
          setHealth(`The database schema is behind this app: ${body.error}.`);
        else setHealth('The database answers; the server failed on this request.');
      })
      .catch(() => !gone && setHealth('The server does not answer.'));
    return () => {
      gone = true;
    };
  }, [server]);
  if (!server) return <>{error.message || 'The server failed to answer; see its log.'}</>;
  return (
    <>
      {health ?? 'The server could not answer.'} Retry in a moment
      {error.digest ? ` (the server's log names this failure ${error.digest})` : ''}.
    </>
  );
}
