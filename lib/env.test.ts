import { describe, expect, it } from 'vitest';
import { incidentOptions, parseAcctDirs, parseEnv, splitAcctDirs } from './env.ts';

describe('parseEnv', () => {
  it('gives the defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.INCIDENTS).toBe('on');
    expect(incidentOptions(env)).toEqual({
      windowMinutes: 30,
      baselineDays: 7,
      intervalMs: 60_000,
      webhookUrls: [],
    });
  });

  it('reads incident settings and webhook URLs', () => {
    const env = parseEnv({
      INCIDENT_WINDOW_MINUTES: '15',
      INCIDENT_WEBHOOK_URLS: 'https://hooks.example/a, http://127.0.0.1:9000/b',
    });
    expect(incidentOptions(env)).toMatchObject({
      windowMinutes: 15,
      webhookUrls: ['https://hooks.example/a', 'http://127.0.0.1:9000/b'],
    });
  });

  it('names every bad variable in one message', () => {
    expect(() =>
      parseEnv({
        PORT: 'eighty',
        INCIDENT_WEBHOOK_URLS: 'ftp://x.example/hook',
        ACCT_HARD_BOUNCE_CATEGORIES: 'bad mailbox',
        INCIDENTS: 'maybe',
      }),
    ).toThrow(/PORT[\s\S]*ACCT_HARD_BOUNCE_CATEGORIES[\s\S]*INCIDENT_WEBHOOK_URLS[\s\S]*INCIDENTS/);
  });

  it("reads the web server's listening address, TZ and LOG_LEVEL, refusing what cannot work", () => {
    expect(parseEnv({}).HOST).toBeUndefined();
    expect(parseEnv({ HOST: '127.0.0.1' }).HOST).toBe('127.0.0.1');
    expect(() => parseEnv({ HOST: ' ' })).toThrow(/HOST: HOST must not be empty when set/);
    expect(parseEnv({ TZ: 'Europe/Paris' }).TZ).toBe('Europe/Paris');
    expect(() => parseEnv({ TZ: 'Mars/Base' })).toThrow(/TZ: TZ must be an IANA time zone name/);
    // An abbreviation the API would refuse as tz (EST, BST: ICU and PostgreSQL read them apart).
    expect(() => parseEnv({ TZ: 'EST' })).toThrow(/TZ: TZ must be an IANA time zone name/);
    expect(() => parseEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: /);
  });

  it('takes ports from 1 to 65535 only', () => {
    expect(parseEnv({ PORT: '65535', EMBEDDED_PG_PORT: '1' }).PORT).toBe(65535);
    expect(() => parseEnv({ PORT: '70000' })).toThrow(/PORT: PORT must be a port number \(1–65535\)/);
    expect(() => parseEnv({ EMBEDDED_PG_PORT: '99999' })).toThrow(/EMBEDDED_PG_PORT/);
    expect(() => parseEnv({ PORT: '0' })).toThrow(/PORT/);
  });

  it("reads npm start's demo size and live rate, refusing what the generator cannot make", () => {
    expect(parseEnv({})).toMatchObject({ DEMO_RECORDS: 300_000, DEMO_DAYS: 7, DEMO_RATE: 1 });
    expect(parseEnv({ DEMO_RECORDS: '2000000', DEMO_DAYS: '30', DEMO_RATE: '0.25' })).toMatchObject({
      DEMO_RECORDS: 2_000_000,
      DEMO_DAYS: 30,
      DEMO_RATE: 0.25,
    });
    expect(() => parseEnv({ DEMO_RATE: '0' })).toThrow(/DEMO_RATE: DEMO_RATE must be more than 0/);
    expect(() => parseEnv({ DEMO_RATE: 'fast' })).toThrow(/DEMO_RATE: DEMO_RATE must be a number/);
    expect(() => parseEnv({ DEMO_DAYS: '1.5' })).toThrow(/DEMO_DAYS: DEMO_DAYS must be a whole number/);
    expect(() => parseEnv({ DEMO_RECORDS: '-1' })).toThrow(/DEMO_RECORDS: DEMO_RECORDS must be positive/);
  });
});

describe('MINUTE_ROLLUP_RETENTION_DAYS', () => {
  it('keeps the minute rollups forever by default, and takes a whole number of days', () => {
    expect(parseEnv({}).MINUTE_ROLLUP_RETENTION_DAYS).toBe(0);
    expect(parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '30' }).MINUTE_ROLLUP_RETENTION_DAYS).toBe(30);
    expect(() => parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '-1' })).toThrow(
      /MINUTE_ROLLUP_RETENTION_DAYS: MINUTE_ROLLUP_RETENTION_DAYS must be 0 \(keep forever\) or more/,
    );
    expect(() => parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '7.5' })).toThrow(/must be a whole number of days/);
    expect(() => parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: 'week' })).toThrow(/must be a number of days/);
  });

  it('refuses minute rollups kept shorter than the raw records when both are set', () => {
    expect(() => parseEnv({ RAW_RETENTION_DAYS: '30', MINUTE_ROLLUP_RETENTION_DAYS: '14' })).toThrow(
      /MINUTE_ROLLUP_RETENTION_DAYS: MINUTE_ROLLUP_RETENTION_DAYS \(14\) must not be smaller than RAW_RETENTION_DAYS \(30\)/,
    );
    expect(parseEnv({ RAW_RETENTION_DAYS: '30', MINUTE_ROLLUP_RETENTION_DAYS: '30' })).toMatchObject({
      RAW_RETENTION_DAYS: 30,
      MINUTE_ROLLUP_RETENTION_DAYS: 30,
    });
    // Either kept forever: nothing to compare.
    expect(parseEnv({ RAW_RETENTION_DAYS: '30' }).MINUTE_ROLLUP_RETENTION_DAYS).toBe(0);
    expect(parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '10' }).RAW_RETENTION_DAYS).toBe(0);
  });

  it("refuses minute rollups kept shorter than the incident monitor's baseline and window", () => {
    // 7 days of baseline + 30 minutes of window: 8 days.
    expect(() => parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '7' })).toThrow(
      /MINUTE_ROLLUP_RETENTION_DAYS: .*incident monitor's baseline and window .*8 days or more, or INCIDENTS=off/,
    );
    expect(parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '8' }).MINUTE_ROLLUP_RETENTION_DAYS).toBe(8);
    expect(
      parseEnv({ MINUTE_ROLLUP_RETENTION_DAYS: '2', INCIDENTS: 'off' }).MINUTE_ROLLUP_RETENTION_DAYS,
    ).toBe(2);
    expect(
      parseEnv({
        MINUTE_ROLLUP_RETENTION_DAYS: '2',
        INCIDENT_BASELINE_DAYS: '1',
        INCIDENT_WINDOW_MINUTES: '1440',
      }).MINUTE_ROLLUP_RETENTION_DAYS,
    ).toBe(2);
    expect(() =>
      parseEnv({
        MINUTE_ROLLUP_RETENTION_DAYS: '2',
        INCIDENT_BASELINE_DAYS: '1',
        INCIDENT_WINDOW_MINUTES: '1441',
      }),
    ).toThrow(/3 days or more/);
  });
});

describe('parseAcctDirs', () => {
  it('reads folders and globs, each optionally labelled', () => {
    expect(parseAcctDirs(splitAcctDirs('mta1=/var/log/pmta, /srv/acct-*.csv,'), 'host')).toEqual([
      { source: 'mta1', pattern: '/var/log/pmta' },
      { source: 'host', pattern: '/srv/acct-*.csv' },
    ]);
  });

  it('takes each --dir value whole: a folder name may hold a comma', () => {
    expect(parseAcctDirs(['demo-mta=/home/a,b/.data/demo', '/srv/x,y'], 'host')).toEqual([
      { source: 'demo-mta', pattern: '/home/a,b/.data/demo' },
      { source: 'host', pattern: '/srv/x,y' },
    ]);
  });

  it('refuses a label holding a control character (they delimit the dimension keys)', () => {
    expect(() => parseAcctDirs(['mta\u0001=/var/log/pmta'], 'host')).toThrow(/source label "mta\\u0001"/);
    expect(() => parseAcctDirs(['/var/log/pmta'], 'bad\thost')).toThrow(/control character/);
  });
});
