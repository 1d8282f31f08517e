import { describe, expect, it } from 'vitest';
import { apiGet } from '../helpers.ts';

describe('GET /api/health without a database', () => {
  it('answers 503 when the database does not answer', async () => {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:9/nowhere'; // port 9 (discard): refused
    const { status, body } = await apiGet('/api/health');
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'error', database: 'down' });
  });
  it('answers stats requests with 503 and the one error format, not a crash', async () => {
    const { status, body } = await apiGet('/api/v1/stats/summary');
    expect(status).toBe(503);
    expect(body.error.message).toMatch(/database is unreachable/);
  });
});
