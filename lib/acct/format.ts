const countFormat = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567" (exact: the dashboard never rounds a count). */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** 0.01234 → "1.23 %"; null (no denominator) → "–". */
export function formatPercent(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '–';
  const pct = rate * 100;
  const digits = pct !== 0 && Math.abs(pct) < 1 ? 3 : 2;
  return `${pct.toFixed(digits)} %`;
}
