import type { Filters } from './filters.ts';

// Fields PowerMTA leaves empty on tq rows: a filter on one of them (other than "(none)") selects
// no queue deferral by construction, which a bare 0 would misstate as "none happened". (Not the
// sending IP: PowerMTA logs one on tq rows.)
const TQ_LACKS = { pool: 'pool', job: 'job', bounceCategory: 'bounce category' } as const;

/** The filters of `filters` that no queue deferral (tq) can match, named as the screens name them. */
export function tqUnselectableBy(filters: Filters): string[] {
  return (Object.keys(TQ_LACKS) as (keyof typeof TQ_LACKS)[])
    .filter((name) => filters[name].length > 0 && !filters[name].includes(''))
    .map((name) => TQ_LACKS[name]);
}

/** Why a queue-deferral figure is absent under those filters (tqUnselectableBy non-empty). */
export function tqUnselectableText(lacks: string[]): string {
  return `not selectable by ${lacks.join(' or ')}: queue deferrals (tq) name a queue, and PowerMTA logs them without one`;
}
