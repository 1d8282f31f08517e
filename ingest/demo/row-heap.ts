import type { FileKind } from './write-files.ts';

/** A rendered accounting row waiting for its time to come. */
export interface PendingRow {
  time: number;
  seq: number;
  kind: FileKind;
  type: string;
  line: string;
}

function before(a: PendingRow, b: PendingRow): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Binary min-heap by (time, insertion order): pops rows in the order PowerMTA would log them. */
export class RowHeap {
  private readonly items: PendingRow[] = [];

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items.length > 0 ? this.items[0].time : Number.POSITIVE_INFINITY;
  }

  push(row: PendingRow): void {
    const items = this.items;
    let i = items.length;
    items.push(row);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(row, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = row;
  }

  pop(): PendingRow | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right], items[left]) ? right : left;
      if (!before(items[child], last)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}
