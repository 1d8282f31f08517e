// Sums vitest and Playwright JSON reports into the one line CI reads: "N passed, N failed".
// A report that is missing (its run never got that far) or a failed run with no failed test in
// its reports counts as one failure, so a broken step can never look green.
import { existsSync, readFileSync } from 'node:fs';

const [status, ...reports] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of reports) {
  if (!existsSync(file)) {
    console.log(`missing report: ${file}`);
    failed++;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if (r.stats && 'expected' in r.stats) {
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
  } else {
    passed += r.numPassedTests ?? 0;
    failed +=
      (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  }
}
if (status !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
