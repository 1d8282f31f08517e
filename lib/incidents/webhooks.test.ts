import { createServer } from 'node:net';
import type { Logger } from 'pino';
import { expect, it } from 'vitest';
import { postWebhooks } from './webhooks.ts';

it('names the event and the incident in every failure line', async () => {
  // A port nothing listens on: the connection is refused.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    lines.push({ level, fields, msg });
  const logger = { warn: at('warn'), error: at('error') } as unknown as Logger;
  const [result] = await postWebhooks(
    [`http://127.0.0.1:${port}/hook`],
    { event: 'incident.opened', incident: { id: 42 } },
    logger,
    [0, 0],
  );
  expect(result).toMatchObject({ ok: false, attempts: 2 });
  expect(lines.map((l) => l.msg)).toEqual([
    'incident webhook failed',
    'incident webhook failed',
    'incident webhook given up',
  ]);
  for (const l of lines) expect(l.fields).toMatchObject({ event: 'incident.opened', incidentId: 42 });
});
