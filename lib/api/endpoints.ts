/** Every endpoint of the API (the folders of app/api that hold a route.ts), for the 404 to name. */
export const ENDPOINTS = [
  '/api/v1/stats/summary',
  '/api/v1/stats/timeseries',
  '/api/v1/stats/breakdown',
  '/api/v1/records',
  '/api/v1/bounces',
  '/api/v1/reasons',
  '/api/v1/latency',
  '/api/v1/dsn-codes',
  '/api/v1/incidents',
  '/api/v1/suppressions',
  '/api/v1/ingest/status',
  '/api/v1/ingest/rejects',
  '/api/health',
] as const;
