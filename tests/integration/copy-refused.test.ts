import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, CopyBinaryWriter } from '../../ingest/copy-binary.ts';
import { copyIn } from '../../ingest/writer.ts';
import { createTestDatabase, type TestDatabase } from '../db.ts';

// A COPY that PostgreSQL refuses while the worker is still streaming it (a key another writer
// committed first, a value it cannot store) must come back as that error, for writeBatch to
// handle. The error used to reject a promise nobody awaited yet: the worker process ended on an
// unhandled rejection (seen after a killed worker's last commit raced its successor's first COPY).

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('CREATE TABLE copy_refused (id int PRIMARY KEY, pad text NOT NULL)');
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/** `rows` rows (id from `first`, ~200 bytes each) as 1 MiB chunks of COPY binary rows. */
function rowChunks(first: number, rows: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let w = new CopyBinaryWriter(1 << 20, { header: false });
  for (let i = 0; i < rows; i++) {
    w.row(2)
      .int4(first + i)
      .text('x'.repeat(200));
    if (w.length > 1 << 20) {
      chunks.push(w.rows());
      w = new CopyBinaryWriter(1 << 20, { header: false });
    }
  }
  chunks.push(w.rows());
  return [COPY_BINARY_HEADER, ...chunks, COPY_BINARY_TRAILER];
}

describe('copyIn', () => {
  it('writes every row of a large stream', async () => {
    await copyIn(client, 'COPY copy_refused FROM STDIN (FORMAT binary)', rowChunks(1, 200_000));
    const { rows } = await client.query('SELECT count(*)::int AS n FROM copy_refused');
    expect(rows[0].n).toBe(200_000);
  });

  it('throws the error of a stream refused at its first row, ~40 MB before its end', async () => {
    await client.query('BEGIN');
    const error = await copyIn(
      client,
      'COPY copy_refused FROM STDIN (FORMAT binary)',
      rowChunks(1, 200_000),
    ).catch((e: unknown) => e);
    await client.query('ROLLBACK');
    expect((error as { code?: string }).code).toBe('23505');
    // The connection is still usable, and nothing of the refused stream was kept.
    const { rows } = await client.query('SELECT count(*)::int AS n FROM copy_refused');
    expect(rows[0].n).toBe(200_000);
  });
});
