import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from './endpoints.ts';

const API = path.resolve(import.meta.dirname, '../../app/api');

describe('ENDPOINTS', () => {
  it('names every route under app/api (the 404 lists them) and no other', () => {
    const routes = readdirSync(API, { recursive: true, encoding: 'utf8' })
      .filter((f) => path.basename(f) === 'route.ts' && !f.includes('['))
      .map((f) => `/api/${path.dirname(f).split(path.sep).join('/')}`);
    expect([...ENDPOINTS].sort()).toEqual(routes.sort());
  });
});
