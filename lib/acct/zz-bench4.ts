import Papa from 'papaparse';

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
const R = 60;
let sink = 0;
const TYPES = new Map([
  ['d', 'd'],
  ['b', 'b'],
]);
function bench(name: string, fn: (f: string[]) => number) {
  const ts: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    for (let r = 0; r < R; r++) for (const f of data) sink += fn(f);
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name, Math.round((ts[3] * 1e6) / (N * R)) + ' ns/row');
}
bench('empty', (f) => f.length);
bench('regex size', (f) => (/^\d{1,15}$/.test(f[17].trim()) ? Number(f[17]) : 0));
bench('type map', (f) => (TYPES.get(f[0]) ? 1 : 0));
bench('literal', (f) => {
  const o = {
    a: f[1],
    b: f[2],
    c: f[3],
    d: f[4],
    e: f[5],
    f: f[6],
    g: f[7],
    h: f[8],
    i: f[9],
    j: f[10],
    k: f[11],
    l: f[12],
    m: f[13],
    n: f[14],
    o: f[15],
    p: f[16],
    q: f[17],
    r: f[18],
    s: f[19],
    t: f[20],
    u: f[21],
    v: f[22],
    w: null,
    x: {},
  };
  return o.a.length;
});
bench('trim', (f) => f[10].trim().length);
console.log(sink > 0);
