import { parseAcctTime } from './parse-time.ts';

const big = Array.from(
  { length: 2700 },
  (_, i) => `x,2024-03-05 10:${String(i % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+0100,`,
).join('');
const sliced: string[] = [];
for (let i = 0; i < 2700; i++) sliced.push(big.substring(i * 27 + 2, i * 27 + 26));
const flat = sliced.map((s) => (' ' + s).slice(1)).map((s) => s.split('').join(''));
let sink = 0;
function bench(name: string, arr: string[]) {
  const ts: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    for (let r = 0; r < 100; r++) for (const s of arr) sink += parseAcctTime(s)!.getTime();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name, Math.round((ts[3] * 1e6) / (2700 * 100)) + ' ns');
}
bench('sliced', sliced);
bench('flat', flat);
bench('sliced', sliced);
console.log(sliced[5], sink > 0);
