import Papa from 'papaparse';
import { recipientDomain } from './domain.ts';
import { buildColumnMap } from './header.ts';
import { normaliseRow } from './normalise.ts';
import { parseAcctTime } from './parse-time.ts';
import { providerOf } from './providers.ts';

const HEADER =
  'type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool';
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const line = (i: number) => {
  const domain = i % 3 === 0 ? `corp${i % 2000}.com` : ['gmail.com', 'yahoo.com', 'hotmail.com'][i % 3];
  const t = `2024-03-05 ${pad(Math.floor(i / 3600) % 24)}:${pad(Math.floor(i / 60) % 60)}:${pad(i % 60)}+0100`;
  return `d,${t},${t},bounce-user${i}=${domain}@bounces.sender.com,user${i}@${domain},,relayed,2.0.0 (success),smtp;250 2.0.0 OK ${i},mx.${domain} (1.2.3.4),,api,foo (127.0.0.1),smtp,10.1.2.3,203.0.113.1,"PIPELINING,8BITMIME,SIZE",2000,vmta${i % 40},job1,,${domain}/vmta1,pool1`;
};
const N = 2700;
const data = Papa.parse<string[]>(Array.from({ length: N }, (_, i) => line(i)).join('\n'), {
  delimiter: ',',
  newline: '\n',
}).data;
const map = buildColumnMap(HEADER.split(','));
const R = 60;
let sink = 0;
function bench(name: string, fn: () => void) {
  const ts: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    for (let r = 0; r < R; r++) fn();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name, Math.round((ts[3] * 1e6) / (N * R)) + ' ns/row');
}
bench('normalise', () => {
  for (const f of data) normaliseRow(f, map);
});
bench('2 times', () => {
  for (const f of data) {
    sink += parseAcctTime(f[1])!.getTime() + parseAcctTime(f[2])!.getTime();
  }
});
bench('domain', () => {
  for (const f of data) {
    sink += recipientDomain(f[4]).length;
  }
});
bench('domain+provider', () => {
  for (const f of data) {
    sink += providerOf(recipientDomain(f[4])).length;
  }
});
bench('obj', () => {
  for (const f of data) {
    const e: Record<string, string> = {};
    e.srcType = f[11];
    e.srcMta = f[12];
    e.dlvType = f[13];
    e.dlvEsmtpAvailable = f[16];
    sink += Object.keys(e).length;
  }
});
console.log(sink > 0);
