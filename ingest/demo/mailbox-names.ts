import type { Prng } from './prng.ts';

const FIRST = [
  'anna',
  'ben',
  'clara',
  'david',
  'emma',
  'felix',
  'grace',
  'hugo',
  'ines',
  'jonas',
  'karin',
  'leo',
  'maria',
  'noah',
  'olivia',
  'paul',
  'quentin',
  'rosa',
  'sam',
  'tina',
  'ugo',
  'vera',
  'will',
  'xavier',
  'yasmin',
  'zoe',
  'james',
  'mary',
  'lukas',
  'sophie',
  'marco',
  'giulia',
  'pierre',
  'camille',
  'jan',
  'lena',
  'omar',
  'aisha',
];
const LAST = [
  'smith',
  'mueller',
  'schmidt',
  'martin',
  'bernard',
  'rossi',
  'garcia',
  'jones',
  'brown',
  'wagner',
  'weber',
  'dubois',
  'moreau',
  'ferrari',
  'lopez',
  'nowak',
  'kowalski',
  'jansen',
  'devries',
  'taylor',
  'wilson',
  'novak',
  'berg',
  'lindqvist',
  'hansen',
  'silva',
  'costa',
  'becker',
  'fischer',
  'meyer',
];

/** A plausible local part (`anna.smith`, `jmueller84`, …). */
export function makeLocalPart(rng: Prng): string {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  switch (rng.int(6)) {
    case 0:
      return `${first}.${last}`;
    case 1:
      return `${first}${last}${rng.int(100)}`;
    case 2:
      return `${first[0]}${last}${1950 + rng.int(60)}`;
    case 3:
      return `${first}_${last}`;
    case 4:
      return `${first}${rng.int(10000)}`;
    default:
      return `${last}.${first}${rng.int(100)}`;
  }
}
