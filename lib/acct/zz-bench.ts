import Papa from 'papaparse';
import { buildColumnMap } from './header.ts';
import { normaliseRow } from './normalise.ts';
import { parseLines } from './parse-lines.ts';
import { splitRecords } from './split-records.ts';

const HEADER =
  'type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool';
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const line = (i: number) => {
  const domain = i % 3 === 0 ? `corp${i % 2000}.com` : ['gmail.com', 'yahoo.com', 'hotmail.com'][i % 3];
  const t = `2024-03-05 ${pad(Math.floor(i / 3600) % 24)}:${pad(Math.floor(i / 60) % 60)}:${pad(i % 60)}+0100`;
  return `d,${t},${t},bounce-user${i}=${domain}@bounces.sender.com,user${i}@${domain},,relayed,2.0.0 (success),smtp;250 2.0.0 OK ${i},mx.${domain} (1.2.3.4),,api,foo (127.0.0.1),smtp,10.1.2.3,203.0.113.1,"PIPELINING,8BITMIME,SIZE",2000,vmta${i % 40},job1,,${domain}/vmta1,pool1`;
};
const N = 2700;
const buf = Buffer.from(Array.from({ length: N }, (_, i) => line(i)).join('\n') + '\n');
const map = buildColumnMap(HEADER.split(','));
const lines = splitRecords(buf, 1).lines;
const data = Papa.parse<string[]>(lines.map((l) => l.text).join('\n'), {
  delimiter: ',',
  newline: '\n',
}).data;
const R = 60;
function bench(name: string, fn: () => void) {
  const ts: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    for (let r = 0; r < R; r++) fn();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name, Math.round((N * R) / (ts[3] / 1000)).toLocaleString('en') + '/s');
}
bench('split', () => {
  splitRecords(buf, 1);
});
bench('papa', () => {
  Papa.parse<string[]>(lines.map((l) => l.text).join('\n'), { delimiter: ',', newline: '\n' });
});
bench('normalise', () => {
  for (const f of data) normaliseRow(f, map);
});
bench('parseLines', () => {
  parseLines(lines, HEADER.split(','));
});
bench('split+parseLines', () => {
  parseLines(splitRecords(buf, 1).lines, HEADER.split(','));
});
