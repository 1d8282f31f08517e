import { startEmbeddedPostgres } from './embedded.ts';

// The process that runs the embedded PostgreSQL for `npm start` and the worker CLI (see
// startEmbeddedPostgresApart): forked in a process group and session of its own, so Ctrl-C in the
// terminal, which signals the whole foreground group, reaches the app and the worker but not the
// database they are still writing to. It stops the server when its parent asks ('stop'), when its
// parent is gone (the IPC channel closes: a crash or SIGKILL leaves no server behind), or on
// SIGTERM/SIGINT/SIGHUP sent to it on purpose.

export type HostMessage = { adminUrl: string; port: number } | { error: string };

const [dir, port] = process.argv.slice(2);
const send = (message: HostMessage) => process.send?.(message);

try {
  const server = await startEmbeddedPostgres(dir, Number(port), { ownSignals: true });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`the embedded PostgreSQL did not stop cleanly: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  process.on('disconnect', stop);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
  send({ adminUrl: server.adminUrl, port: server.port });
  // The parent may have gone while the server started: no 'disconnect' event comes then.
  if (!process.connected) stop();
} catch (error) {
  send({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
