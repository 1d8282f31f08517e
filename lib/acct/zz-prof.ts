import Papa from 'papaparse';
import { splitRecords } from './split-records.ts';
import { buildColumnMap } from './header.ts';
import { normaliseRow } from './normalise.ts';
const HEADER='type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool';
const line = (i:number)=>`d,2024-03-05 10:11:12+0100,2024-03-05 10:11:12+0100,bounce-user${i}=gmail.com@bounces.sender.com,user${i}@gmail.com,,relayed,2.0.0 (success),smtp;250 2.0.0 OK 1709612345 abc${i} - gsmtp,mx1.gmail.com (203.0.113.5),,api,foo.int.port25.com (127.0.0.1),smtp,10.1.2.3,203.0.113.5,"PIPELINING,8BITMIME,SIZE,ENHANCEDSTATUSCODES,SMTPUTF8",2000,vmta1,job1,,gmail.com/vmta1,pool1`;
const N=2700;
const buf=Buffer.from(Array.from({length:N},(_,i)=>line(i)).join('\n')+'\n');
const map=buildColumnMap(HEADER.split(','));
const R=80;
for (let k=0;k<3;k++){
let t=performance.now(); let lines:any;
for(let r=0;r<R;r++) lines=splitRecords(buf,1).lines;
const ts=performance.now()-t;
t=performance.now(); let data:any;
for(let r=0;r<R;r++){ const joined=lines.map((l:any)=>l.text).join('\n'); data=Papa.parse<string[]>(joined,{delimiter:',',newline:'\n'}).data;}
const tp=performance.now()-t;
t=performance.now();
for(let r=0;r<R;r++){ for(const f of data) normaliseRow(f,map);}
const tn=performance.now()-t;
const per=(x:number)=>Math.round(N*R/(x/1000)).toLocaleString('en')+'/s';
console.log('split',per(ts),'papa',per(tp),'normalise',per(tn));
}
