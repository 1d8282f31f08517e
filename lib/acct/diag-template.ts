import { createHash } from 'node:crypto';
import { looksLikeHost, maskHost } from './diag-template-hosts.ts';

// A provider writes the same reason with a different IP, recipient, queue id and timestamp in every
// line. diagTemplate masks exactly those parts so 40,000 lines become one reason. What stays is what
// carries meaning: reply and enhanced status codes, provider codes (TSS04, S3150, AS(1430), OFR_506),
// help-page URLs with their topic (`?p=NoSuchUser`), block-list zones and the provider's own domain.
// It runs once per t/b/tq row, so the line is scanned once and the token expression runs only on
// the space-free chunks that can hold a variable part (a digit, `@`, `/`, an inner `.` or `:`).

/** Longest template kept; a diagnostic's reason is in its first few hundred characters. */
export const MAX_TEMPLATE_LENGTH = 300;
/** Input beyond this is ignored before masking, so a pathological line cannot stall the ingest. */
const MAX_INPUT_LENGTH = 1200;

// One alternative per kind of token, tried left to right at each position of a chunk.
const TOKEN_KINDS = [
  ['url', /\b(?:https?|ftp):\/\/[^\s<>"'[\]]+/],
  ['keep', /\bAS\(\d+\)/],
  ['qid', /\b(?:id|ID)=[^\s,;\])>]+/],
  ['email', /(?<![^\s<>"'(),;:=[\]])<?[^\s<>@"'(),;:[\]]+@[^\s<>@"'(),;:[\]]*[^\s<>@"'(),;:[\].]>?/],
  ['time', /\b\d{4}-\d{2}-\d{2}(?:T\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?(?![\w:])/],
  ['time', /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?![\w:])/],
  [
    'ipv6',
    /(?:(?<=IPv6:)|(?<![\w:]))(?:[0-9a-fA-F]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]{0,4})(?![\w:])/,
  ],
  ['ipv4', /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.[\w-])/],
  // Enhanced status codes (4.7.28, 5.7.606) are the most useful token of all: never masked.
  ['keep', /(?<![\w.])[245]\.\d{1,3}\.\d{1,3}(?![\w-]|\.[\w-])/],
  ['decimal', /(?<![\w.])\d+\.\d+(?![\w-]|\.[\w-])/],
  // Letters are ASCII or any code unit from U+00C0 (IDN labels); plain ranges keep the regex out of
  // unicode mode, which costs every other alternative too.
  [
    'host',
    /(?<![\w\u00C0-\uFFFF.@-])(?:[a-zA-Z0-9\u00C0-\uFFFF](?:[\w\u00C0-\uFFFF-]{0,61}[a-zA-Z0-9\u00C0-\uFFFF])?\.)+[a-zA-Z\u00C0-\uFFFF][a-zA-Z0-9\u00C0-\uFFFF-]{0,61}(?![\w\u00C0-\uFFFF-]|\.[a-zA-Z0-9\u00C0-\uFFFF])/,
  ],
  ['word', /(?<![\w-])(?=[\w-]*\d)\w+(?:-\w+)*(?!\w)/],
] as const;

type TokenKind = (typeof TOKEN_KINDS)[number][0];

// Positional groups and an exec loop: a replace callback with named groups costs several times more.
const TOKEN = new RegExp(TOKEN_KINDS.map(([, re]) => `(${re.source})`).join('|'), 'g');

// The few patterns that span spaces run over the whole line, each only when a cheap hint is present.
const QUEUED_AS = /\b(queued as )[^\s,;\])>]+/g;
const RFC_DATE_HINT = / (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b/;
const RFC_DATE =
  /\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?(?: [+-]\d{4})?(?: \([A-Z]{2,5}\))?/g;
const GSMTP = ' - gsmtp';
const SHORT_NUMBER = /^\d{1,4}$/;
const UNIT_AFTER =
  /(?:bytes|[KMG]B|seconds?|secs?|minutes?|mins?|hours?|ms|messages?|msgs?|recipients?|rcpts?|connections?)\b/y;
const TIME_RUN = /<time>(?: (?:<time>|[+-]\d{4}|UTC|GMT))+/g;

const LEADING_CODE = /^(\d{3})[- ](?:(\d\.\d{1,3}\.\d{1,3})(?=\s))?/;
// A multi-line reply repeats its code on every line (`550-5.1.1 … 550-5.1.1 … 550 5.1.1 …`).
const CONTINUATION = /(\s)(\d{3})([- ])(?:(\d\.\d{1,3}\.\d{1,3})(?=\s))?/g;

/** Provider codes: TSS04, TS01, S3150, S77714, CS01, HM08, OFR_506, OFR005_104, RL000010, PRX4. */
const PROVIDER_CODE = /^(?:[A-Z]{1,5}_?\d{1,6}|[A-Z]{2,5}\d{1,3}_\d{1,4})$/;
/** A numbered machine name: `mwinf5123`, `mxgmx123`, `mx002` → keep the stem, mask the number. */
const NUMBERED_STEM = /^([a-z]{2,})(\d{3,})$/;
const KEEP_STEMS = new Set(['sha', 'md', 'base', 'utf', 'iso', 'rfc', 'ipv', 'tls', 'http']);
const ALL_DIGITS = /^\d+$/;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;

function maskPart(part: string): string {
  if (ALL_DIGITS.test(part)) return part.length >= 5 ? '<n>' : part;
  if (PROVIDER_CODE.test(part)) return part;
  const stem = NUMBERED_STEM.exec(part);
  if (stem && !KEEP_STEMS.has(stem[1])) return `${stem[1]}<n>`;
  if (part.length >= 8 && HAS_DIGIT.test(part) && HAS_LETTER.test(part)) return '<id>';
  return part;
}

/** A word with a digit: counts and codes stay, long numbers and ids are masked. */
function maskWord(word: string): string {
  if (!word.includes('-')) return maskPart(word);
  // `0a1b2c3d-12345678-000000`, UUIDs: one masked part makes the whole hyphenated word an id.
  const parts = word.split('-');
  for (const part of parts) if (maskPart(part) !== part) return '<id>';
  return word;
}

function maskDecimal(value: string): string {
  const dot = value.indexOf('.');
  return value.length - dot - 1 >= 3 || dot >= 5 ? '<n>' : value;
}

function maskIpv6(value: string): string {
  let colons = 0;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 58) colons++;
  const valid = colons >= 7 || value.includes('::') || value.includes('.');
  return valid && HAS_DIGIT.test(value) ? '<ip>' : value;
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PAGE_EXTENSION = /\.(?:s?html?|php|aspx?|jsp|cgi)$/i;
const TOPIC_VALUE = /^(?:[A-Za-z][A-Za-z_]{0,23}\d{0,6}|\d{1,8})$/;

function maskPathSegment(segment: string): string {
  if (segment === '') return segment;
  if (IPV4.test(segment)) return '<ip>';
  if (EMAIL.test(segment)) return '<email>';
  const ext = PAGE_EXTENSION.exec(segment)?.[0] ?? '';
  const stem = ext ? segment.slice(0, -ext.length) : segment;
  const labels = stem.split('.');
  if (labels.length >= 2 && looksLikeHost(labels)) return `<domain>${ext}`;
  if (stem.length >= 16 && HAS_DIGIT.test(stem) && HAS_LETTER.test(stem)) return `<id>${ext}`;
  return segment;
}

function maskQueryValue(value: string): string {
  if (value === '' || TOPIC_VALUE.test(value)) return value;
  const decoded = value.includes('%40') ? value.replaceAll('%40', '@') : value;
  if (IPV4.test(decoded)) return '<ip>';
  if (EMAIL.test(decoded)) return '<email>';
  return '<id>';
}

function maskUrlHost(host: string): string {
  if (IPV4.test(host)) return '<ip>';
  const labels = host.split('.');
  if (labels.length < 2 || !labels.some((l) => HAS_DIGIT.test(l))) return host;
  return `<host>.${labels.slice(-2).join('.')}`;
}

/**
 * Help-page URLs say which problem the provider means, so scheme, host, path and topic parameters
 * (`?p=NoSuchUser`, `?c=r0701`) stay; IPs, addresses and tracking ids in them are masked.
 */
function maskUrl(raw: string): string {
  let end = raw.length;
  while (end > 0 && '.,;:)!?\'"'.includes(raw[end - 1])) end--;
  const url = raw.slice(0, end);
  const tail = raw.slice(end);
  const schemeEnd = url.indexOf('://') + 3;
  const rest = url.slice(schemeEnd);
  const hashAt = rest.indexOf('#');
  const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : rest.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const hostPath = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);
  const slash = hostPath.indexOf('/');
  const authority = slash === -1 ? hostPath : hostPath.slice(0, slash);
  const path = slash === -1 ? '' : hostPath.slice(slash);
  const colon = authority.lastIndexOf(':');
  const host = colon === -1 ? authority : authority.slice(0, colon);
  const port = colon === -1 ? '' : authority.slice(colon);
  let out = url.slice(0, schemeEnd) + maskUrlHost(host.slice(host.lastIndexOf('@') + 1)) + port;
  if (path) out += path.split('/').map(maskPathSegment).join('/');
  if (queryAt !== -1) {
    const params = query.split('&').map((param) => {
      const eq = param.indexOf('=');
      if (eq === -1) return maskQueryValue(param);
      return `${param.slice(0, eq + 1)}${maskQueryValue(param.slice(eq + 1))}`;
    });
    out += `?${params.join('&')}`;
  }
  return out + fragment + tail;
}

function maskHostToken(token: string): string {
  const labels = token.split('.');
  if (looksLikeHost(labels)) return maskHost(token);
  // `RESOLVER.ADR.RecipientNotFound`, `5322.From`, `<id>.eu123`: dotted words, not hosts.
  return labels.map(maskWord).join('.');
}

function maskKind(kind: TokenKind, token: string): string {
  switch (kind) {
    case 'url':
      return maskUrl(token);
    case 'keep':
      return token;
    case 'qid':
      return `${token.slice(0, 3)}<id>`;
    case 'email':
      return '<email>';
    case 'time':
      return '<time>';
    case 'ipv6':
      return maskIpv6(token);
    case 'ipv4':
      return '<ip>';
    case 'decimal':
      return maskDecimal(token);
    case 'host':
      return maskHostToken(token);
    case 'word':
      return maskWord(token);
  }
}

/** Chunks that never change, checked before the token expression: `421`, `4.7.28`, `15]`, `(10).` */
const PLAIN_CODE = /^[[(]?(?:\d{1,4}|[245]\.\d{1,3}\.\d{1,3})[\]).,;:]{0,2}$/;

function maskChunk(chunk: string): string {
  if (PLAIN_CODE.test(chunk)) return chunk;
  if (chunk.startsWith('http') && chunk.includes('://')) return maskUrl(chunk);
  TOKEN.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = TOKEN.exec(chunk); m !== null; m = TOKEN.exec(chunk)) {
    let group = 1;
    while (m[group] === undefined) group++;
    out += chunk.slice(last, m.index) + maskKind(TOKEN_KINDS[group - 1][0], m[0]);
    last = TOKEN.lastIndex;
  }
  return last === 0 ? chunk : out + chunk.slice(last);
}

/**
 * Masks each space-separated chunk that may hold a variable part: one with a digit, `@` or `/`, or a
 * `.`/`:` inside it (`mail.live.com`, `IPv6:…`) rather than ending a sentence. Most chunks are plain
 * words and are skipped without running the token expression.
 */
function maskChunks(line: string): string {
  let out = '';
  let copied = 0;
  let start = 0;
  let candidate = false;
  const end = line.length;
  for (let i = 0; i <= end; i++) {
    const c = i < end ? line.charCodeAt(i) : 32;
    if (c === 32) {
      // Yahoo's `… user complaints - 4.16.55.1; see …` is an internal code shaped like an address.
      if (candidate && !(line.startsWith('4.16.', start) && line.startsWith('- ', start - 2))) {
        const chunk = line.slice(start, i);
        UNIT_AFTER.lastIndex = i + 1;
        // A count before a unit (`1032 bytes`, `45 seconds`) varies even when it is short.
        const masked = SHORT_NUMBER.test(chunk) && UNIT_AFTER.test(line) ? '<n>' : maskChunk(chunk);
        if (masked !== chunk) {
          out += line.slice(copied, start) + masked;
          copied = i;
        }
      }
      start = i + 1;
      candidate = false;
    } else if (!candidate) {
      if ((c >= 47 && c <= 57) || c === 64)
        candidate = true; // / 0-9 @
      else if ((c === 46 || c === 58) && i + 1 < end && line.charCodeAt(i + 1) !== 32) candidate = true;
    }
  }
  return copied === 0 ? line : out + line.slice(copied);
}

/** Gmail ends every reply with its transaction id: `… d2e1a72fcca58-7a3f…pfb.57 - gsmtp`. */
function maskGsmtpId(line: string): string {
  const at = line.indexOf(GSMTP);
  if (at <= 0) return line;
  const start = line.lastIndexOf(' ', at - 1) + 1;
  if (!HAS_DIGIT.test(line.slice(start, at))) return line;
  return `${line.slice(0, start)}<id>${line.slice(at)}`;
}

function dropContinuations(text: string): string {
  const lead = LEADING_CODE.exec(text);
  if (!lead) return text;
  const [, code, enhanced] = lead;
  const body = text.slice(lead[0].length);
  const cleaned = !body.includes(code)
    ? body
    : body.replace(CONTINUATION, (m, space: string, c: string, sep: string, enh: string | undefined) =>
        c === code && (sep === '-' || space === '\n' || (enh !== undefined && enh === enhanced)) ? ' ' : m,
      );
  return `${code} ${enhanced ? `${enhanced} ` : ''}${cleaned.trimStart()}`;
}

/**
 * Groups a diagnostic (`dsnDiag` of a t/b/tq/rb row) into its template: `smtp;` prefix and repeated
 * multi-line reply codes dropped, whitespace collapsed, variable parts replaced by `<ip>`, `<email>`,
 * `<host>`, `<domain>`, `<id>`, `<n>` and `<time>`, at most 300 characters. Deterministic.
 */
export function diagTemplate(text: string): string {
  let s = text.length > MAX_INPUT_LENGTH ? text.slice(0, MAX_INPUT_LENGTH) : text;
  s = s.trimStart();
  if (s.startsWith('smtp;') || s.startsWith('SMTP;')) s = s.slice(5).trimStart();
  s = maskGsmtpId(dropContinuations(s).replace(/\s+/g, ' ').trim());
  if (s.includes('queued as ')) s = s.replace(QUEUED_AS, '$1<id>');
  if (RFC_DATE_HINT.test(s)) s = s.replace(RFC_DATE, '<time>');
  s = maskChunks(s);
  // `2024-05-14 09:12:33 +0000` was masked chunk by chunk: one placeholder for the whole stamp.
  if (s.includes('<time> ')) s = s.replace(TIME_RUN, '<time>');
  if (s.length <= MAX_TEMPLATE_LENGTH) return s;
  // Cut at a word boundary when there is one near the end: `…linkid=22` would read as a real value.
  const space = s.lastIndexOf(' ', MAX_TEMPLATE_LENGTH);
  s = s.slice(0, space > MAX_TEMPLATE_LENGTH - 60 ? space : MAX_TEMPLATE_LENGTH);
  // Never end inside a placeholder: `… <ho` would be a template of its own.
  const open = s.lastIndexOf('<');
  if (open > s.lastIndexOf('>')) s = s.slice(0, open);
  return s.trimEnd();
}

/** A short stable id of a template (first 16 hex digits of its SHA-1), for storage and links. */
export function templateKey(template: string): string {
  return createHash('sha1').update(template).digest('hex').slice(0, 16);
}
