// Verbatim lines from docs/acct-format.md ("Real lines (public samples)"), shared by the tests.

export const HEADER_23 =
  'type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool';

export const SAMPLE_D =
  'd,2019-02-08 21:54:05+0000,2019-02-08 21:54:05+0000,AA-D=1181.com@bounce.bar.com,D@1181.com,,relayed,2.0.0 (success),smtp;250 DATA ok,foo.int.port25.com (10.1.2.3),,api,foo.int.port25.com (127.0.0.1),smtp,10.1.2.3,10.1.2.3,"ENHANCEDSTATUSCODES,8BITMIME,SMTPUTF8",41159,vmta48,JoBID29546016861868,,1181.com/vmta48';

export const SAMPLE_B =
  'b,2019-02-08 21:53:41+0000,2019-02-08 21:53:41+0000,CB-A=yahoo.com@bounce.bar.com,A@yahoo.com,,failed,5.7.1 (delivery not authorized),smtp;554 5.7.1 Denied - Spam Suspected,foo.int.bar.com (10.1.2.3),spam-related,api,foo.int.bar.com (127.0.0.1),smtp,10.1.2.3,10.1.2.3,"ENHANCEDSTATUSCODES,8BITMIME,SMTPUTF8",,vmta18,,,yahoo.rollup/vmta18';

/** Note the trailing comma: 23 fields (an empty vmtaPool) where the d and b samples have 22. */
export const SAMPLE_T =
  't,2019-02-08 21:53:54+0000,2019-02-08 21:53:54+0000,DB-DA=yahoo.fr@bounce.bar.com,DA@yahoo.fr,,delayed,4.7.0 (other or undefined security status),smtp;421 4.7.0 mx002 Error: too many errors,foo.int.bar.com (10.1.2.165),policy-related,api,foo.int.bar.com (127.0.0.1),smtp,10.59.14.69,10.1.2.165,"ENHANCEDSTATUSCODES,8BITMIME,SMTPUTF8",,vmta21,,,yahoo.rollup/vmta21,';

export const TQ_HEADER =
  'type,timeLogged,dsnStatus,dsnDiag,dsnMta,dlvType,dlvSourceIp,dlvDestinationIp,vmta,queue';
export const SAMPLE_TQ =
  'tq,2019-02-08 21:53:39+0000,4.4.1 (no answer from host),,mx.xn--bcher-kva.de (87.98.150.101),smtp,0.0.0.0,87.98.150.101,vmta29,bücher.de/vmta29';

export const EPOCH_HEADER = 'type,timeLogged,orig,rcpt,dlvSourceIp,bounceCat';
export const SAMPLE_EPOCH_D = 'd,1178807903,orig@port25.com,user1@domain.com,10.0.0.1,';
export const SAMPLE_EPOCH_B = 'b,1178807915,orig@port25.com,user3@domain.com,,policy-related';
