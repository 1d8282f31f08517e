import { describe, expect, it } from 'vitest';
import { templateKey } from '../acct/diag-template.ts';
import { parseRecordQuery } from '../queries/get-records.ts';
import { countedRecords, evidenceTemplateKey, incidentFigureLinks } from './figure-links.ts';
import type { shapeIncident } from './monitor.ts';

type View = ReturnType<typeof shapeIncident>;

function incident(over: Partial<View> = {}): View {
  return {
    id: 1,
    slice: { kind: 'vmta', provider: 'Yahoo', sender: 'vmta1' },
    metric: 'bounce',
    status: 'open',
    baselineRate: 0.012,
    currentRate: 0.123,
    peakRate: 0.2,
    threshold: 0.05,
    events: 94,
    volume: 188,
    startedAt: '2026-01-10T03:10:00.000Z',
    detectedAt: '2026-01-10T03:25:00.000Z',
    evaluatedAt: '2026-01-10T03:55:00.000Z',
    resolvedAt: null,
    windowMinutes: 10,
    evidence: {
      template: '554 5.7.9 Message not accepted for policy reasons',
      key: 'abcdef0123456789',
      sample: 'smtp;554 5.7.9 Message not accepted for policy reasons',
      count: 12,
      of: 40,
      annotation: null,
    },
    ...over,
  };
}

/** What the records explorer reads from a link (the query its total counts). */
function opened(href: string | undefined) {
  if (!href) throw new Error('no link');
  const [path, search] = href.split('?');
  expect(path).toBe('/records');
  const params = new URLSearchParams(search);
  const q = parseRecordQuery(params, 50);
  return {
    types: q.types,
    from: q.filters.from.toISOString(),
    to: q.filters.to.toISOString(),
    provider: q.filters.provider,
    vmta: q.filters.vmta,
    pool: q.filters.pool,
    template: q.template,
    tz: params.get('tz'),
  };
}

describe('incidentFigureLinks', () => {
  it("opens the rate's events and volume over the window the monitor judged, in the slice", () => {
    const links = incidentFigureLinks(incident(), 'Europe/Paris');
    const window = { from: '2026-01-10T03:45:00.000Z', to: '2026-01-10T03:55:00.000Z' };
    const slice = { provider: ['Yahoo'], vmta: ['vmta1'], pool: [], template: undefined, tz: 'Europe/Paris' };
    expect(opened(links.events?.href)).toEqual({ ...slice, ...window, types: ['b'] });
    expect(opened(links.volume?.href)).toEqual({ ...slice, ...window, types: ['d', 'b'] });
    // Named in the card's zone, with the figure itself.
    expect(links.events?.label).toBe('94 bounces of vmta1 at Yahoo, 04:45–04:55');
    expect(links.volume?.label).toBe('188 deliveries and bounces of vmta1 at Yahoo, 04:45–04:55');
  });

  it('counts the types of each metric: attempts for deferrals, deliveries for complaints', () => {
    const deferral = incidentFigureLinks(incident({ metric: 'deferral', evidence: null }), 'UTC');
    expect(opened(deferral.events?.href).types).toEqual(['t']);
    expect(opened(deferral.volume?.href).types).toEqual(['d', 'b', 't']);
    const complaint = incidentFigureLinks(
      incident({ metric: 'complaint', events: 1, volume: 1, evidence: null }),
      'UTC',
    );
    expect(opened(complaint.events?.href).types).toEqual(['f']);
    expect(opened(complaint.volume?.href).types).toEqual(['d']);
    expect(complaint.events?.label).toBe('1 complaint of vmta1 at Yahoo, 03:45–03:55');
    expect(complaint.volume?.label).toBe('1 delivery of vmta1 at Yahoo, 03:45–03:55');
  });

  it("opens the evidence's failures and its top reason's over [startedAt, detectedAt)", () => {
    const links = incidentFigureLinks(incident(), 'UTC');
    const window = { from: '2026-01-10T03:10:00.000Z', to: '2026-01-10T03:25:00.000Z' };
    expect(opened(links.evidenceOf?.href)).toMatchObject({ ...window, types: ['b'], template: undefined });
    expect(opened(links.evidenceCount?.href)).toMatchObject({
      ...window,
      types: ['b'],
      template: 'abcdef0123456789',
    });
    expect(links.evidenceOf?.label).toBe('40 bounces of vmta1 at Yahoo, 03:10–03:25');
    expect(links.evidenceCount?.label).toBe(
      '12 bounces of vmta1 at Yahoo giving the top reason, 03:10–03:25',
    );
  });

  it("opens a pool's records, a name that needs quoting as written", () => {
    const links = incidentFigureLinks(
      incident({ slice: { kind: 'pool', provider: 'Other', sender: 'pool a, b' } }),
      'UTC',
    );
    expect(opened(links.volume?.href)).toMatchObject({ provider: ['Other'], pool: ['pool a, b'], vmta: [] });
    expect(links.volume?.label).toBe('188 deliveries and bounces of pool pool a, b at Other, 03:45–03:55');
  });

  it("links no rate figure of an incident whose window's length was not kept", () => {
    const links = incidentFigureLinks(incident({ windowMinutes: null }), 'UTC');
    expect(links.events).toBeNull();
    expect(links.volume).toBeNull();
    expect(links.evidenceOf).not.toBeNull();
  });

  it("opens a complaint incident's complaints, which have no reason", () => {
    const links = incidentFigureLinks(
      incident({
        metric: 'complaint',
        evidence: { kind: 'complaint', of: 3, sourceIps: [], jobs: [] },
      }),
      'UTC',
    );
    expect(opened(links.evidenceOf?.href)).toMatchObject({
      from: '2026-01-10T03:10:00.000Z',
      to: '2026-01-10T03:25:00.000Z',
      types: ['f'],
    });
    expect(links.evidenceCount).toBeNull();
  });
});

describe('evidenceTemplateKey', () => {
  const e = incident().evidence as Exclude<View['evidence'], { kind: 'complaint' } | null>;

  it('is the stored key, or for older incidents the hash of the template, as the ingest keys it', () => {
    expect(evidenceTemplateKey(e)).toBe('abcdef0123456789');
    expect(evidenceTemplateKey({ ...e, key: '' })).toBe('');
    expect(evidenceTemplateKey({ ...e, key: undefined })).toBe(templateKey(e.template));
    expect(evidenceTemplateKey({ ...e, key: undefined, template: '(no diagnostic)' })).toBe('');
    expect(evidenceTemplateKey({ ...e, key: undefined, template: '' })).toBeNull();
  });

  it("makes a link the explorer takes for a template's records ('' for no diagnostic)", () => {
    const none = incidentFigureLinks(
      incident({ evidence: { ...e, key: undefined, template: '(no diagnostic)' } }),
      'UTC',
    );
    expect(opened(none.evidenceCount?.href).template).toBe('');
  });
});

describe('countedRecords', () => {
  it('names the records counted, in the singular for one', () => {
    expect(countedRecords(1234, ['d', 'b', 't'])).toBe('1,234 deliveries, bounces and deferrals');
    expect(countedRecords(1, ['d', 'b'])).toBe('1 delivery or bounce');
    expect(countedRecords(0, ['f'])).toBe('0 complaints');
  });
});
