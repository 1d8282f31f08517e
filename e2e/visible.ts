import type { Locator, Page } from '@playwright/test';

/**
 * The visible element with this test id. While a keyed panel streams its new content in, React
 * keeps the old content in the page, hidden (display: none), so a plain getByTestId can match two
 * elements and fail in strict mode; the visible one is the one a user reads.
 */
export function visibleTestId(page: Page, id: string): Locator {
  return page.getByTestId(id).filter({ visible: true });
}

/**
 * The accessible name of a count linked to its records (CountLink): its label and the count, as a
 * screen reader reads it ("Delivered records of gmail.com: 3").
 */
export function countName(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [\\d,]+$`);
}
