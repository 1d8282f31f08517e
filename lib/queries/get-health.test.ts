import { describe, expect, it } from 'vitest';
import { oneLine } from './get-health.ts';

describe('oneLine', () => {
  it("keeps Prisma's reason, in one line", () => {
    expect(
      oneLine(
        "\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:9`",
      ),
    ).toBe("Can't reach database server at 127.0.0.1:9");
    expect(oneLine('no answer within 2000 ms')).toBe('no answer within 2000 ms');
    expect(oneLine('first\n\n  last line  \n')).toBe('last line');
  });
});
