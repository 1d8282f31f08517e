import Papa from 'papaparse';
import { buildColumnMap } from './header.ts';
import { normaliseRow } from './normalise.ts';
import { parseAcctTime } from './parse-time.ts';
import { recipientDomain } from './domain.ts';
import { providerOf } from './providers.ts';
const HEADER='type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool';
const line = (i:number)=>`d,2024-03-05 10:11:${String(i%60).padStart(2,'0')}+0100,2024-03-05 10:11:12+0100,bounce-user${i}=gmail.com@bounces.sender.com,user${i}@gmail.com,,relayed,2.0.0 (success),smtp;250 2.0.0 OK 1709612345 abc${i} - gsmtp,mx1.gmail.com (203.0.113.5),,api,foo.int.port25.com (127.0.0.1),smtp,10.1.2.3,203.0.113.5,"PIPELINING,8BITMIME,SIZE,ENHANCEDSTATUSCODES,SMTPUTF8",2000,vmta1,job1,,gmail.com/vmta1,pool1`;
const N=2700;
const data=Papa.parse<string[]>(Array.from({length:N},(_,i)=>line(i)).join('\n'),{delimiter:',',newline:'\n'}).data;
const map=buildColumnMap(HEADER.split(','));
const R=100;
const per=(x:number)=>Math.round(N*R/(x/1000)).toLocaleString('en')+'/s';
for (let k=0;k<4;k++){
let t=performance.now();
for(let r=0;r<R;r++){ for(const f of data) normaliseRow(f,map);}
const tn=performance.now()-t;
t=performance.now(); let x=0;
for(let r=0;r<R;r++){ for(const f of data) {x+=parseAcctTime(f[1])!.getTime(); x+=parseAcctTime(f[2])!.getTime();}}
const tt=performance.now()-t;
t=performance.now();
for(let r=0;r<R;r++){ for(const f of data) {x+=providerOf(recipientDomain(f[4])).length}}
const td=performance.now()-t;
console.log('normalise',per(tn),'2 times',per(tt),'domain+provider',per(td));
}
