// Throughput check for the ingest's parsing stage (not a test): `npx tsx lib/acct/parse-throughput.ts`.
// Builds realistic 23-column d/b/t lines in memory, then splits and parses them in 1 MiB reads the
// way the tailer does, and prints records per second.
import { parseLines } from './parse-lines.ts';
import { splitRecords } from './split-records.ts';

const HEADER =
  'type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool';
const DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.fr', 'orange.fr', 'web.de', 'example.org'];
const DOMAIN_COUNT = 2000;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function buildLine(i: number): string {
  const domain = i % 3 === 0 ? `corp${i % DOMAIN_COUNT}.com` : DOMAINS[i % DOMAINS.length];
  const t = `2024-03-05 ${pad(Math.floor(i / 3600) % 24)}:${pad(Math.floor(i / 60) % 60)}:${pad(i % 60)}+0100`;
  const vmta = `vmta${i % 40}`;
  const rcpt = `user${i}@${domain}`;
  const orig = `bounce-user${i}=${domain}@bounces.sender.com`;
  const esmtp = '"PIPELINING,8BITMIME,SIZE,ENHANCEDSTATUSCODES,SMTPUTF8"';
  const mta = `mx${i % 5}.${domain} (203.0.113.${i % 250})`;
  const src = 'api,foo.int.port25.com (127.0.0.1),smtp';
  const r = i % 10;
  if (r < 7) {
    return `d,${t},${t},${orig},${rcpt},,relayed,2.0.0 (success),smtp;250 2.0.0 OK 1709612345 abc${i} - gsmtp,${mta},,${src},10.1.2.${i % 8},203.0.113.${i % 250},${esmtp},${20000 + (i % 5000)},${vmta},job${i % 100},,${domain}/${vmta},pool1`;
  }
  if (r < 9) {
    return `t,${t},${t},${orig},${rcpt},,delayed,4.7.28 (other or undefined security status),"smtp;421 4.7.28 [10.1.2.3 15] Our system has detected an unusual rate of unsolicited mail, ${i}",${mta},policy-related,${src},10.1.2.${i % 8},203.0.113.${i % 250},${esmtp},,${vmta},job${i % 100},,${domain}/${vmta},pool1`;
  }
  return `b,${t},${t},${orig},${rcpt},,failed,5.1.1 (bad destination mailbox address),smtp;550 5.1.1 The email account that you tried to reach does not exist,${mta},bad-mailbox,${src},10.1.2.${i % 8},203.0.113.${i % 250},${esmtp},,${vmta},job${i % 100},,${domain}/${vmta},pool1`;
}

function buildFile(count: number): Buffer {
  const parts = [`${HEADER}\n`];
  for (let i = 0; i < count; i++) parts.push(`${buildLine(i)}\n`);
  return Buffer.from(parts.join(''));
}

function run(file: Buffer): void {
  const readSize = 1024 * 1024;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let header: string[] | null = null;
  let records = 0;
  let rejects = 0;
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0; // file offset of carry[0]
  for (let pos = 0; pos < file.length; pos += readSize) {
    const chunk = file.subarray(pos, pos + readSize);
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const { lines, consumed } = splitRecords(buf, offset);
    const result = parseLines(lines, header);
    header = result.header;
    for (const p of result.parsed) {
      if (p.kind === 'record') records++;
      else if (p.kind === 'reject') rejects++;
    }
    carry = buf.subarray(consumed);
    offset += consumed;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time too: on a shared machine wall time also measures the neighbours (it includes GC threads).
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mb = file.length / 1024 / 1024;
  console.log(
    `${records} records (${rejects} rejected, ${mb.toFixed(0)} MiB) in ${seconds.toFixed(2)} s: ` +
      `${Math.round(records / seconds).toLocaleString('en')} records/s ` +
      `(${Math.round(records / cpuSeconds).toLocaleString('en')} per CPU-second)`,
  );
}

// Built once, off the JS heap, so that the timed passes measure parsing and not the generator's garbage.
const file = buildFile(Number(process.argv[2] ?? 200_000));
run(file); // the first pass warms up the JIT and the caches
run(file);
run(file);
