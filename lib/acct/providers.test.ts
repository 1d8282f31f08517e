import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { complaintProvider, loadProviderOverrides, providerOf, resetProviderOverrides } from './providers.ts';

function writeProvidersFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'acct-providers-')), 'providers.json');
  writeFileSync(path, content);
  return path;
}

afterEach(() => {
  delete process.env.ACCT_PROVIDERS_FILE;
  resetProviderOverrides();
});

describe('providerOf', () => {
  it.each([
    ['gmail.com', 'Google'],
    ['googlemail.com', 'Google'],
    ['yahoo.com', 'Yahoo'],
    ['yahoo.fr', 'Yahoo'],
    ['yahoo.co.uk', 'Yahoo'],
    ['yahoo.com.br', 'Yahoo'],
    ['ymail.com', 'Yahoo'],
    ['rocketmail.com', 'Yahoo'],
    ['aol.com', 'Yahoo'],
    ['aim.com', 'Yahoo'],
    ['verizon.net', 'Yahoo'],
    ['yahoo.rollup', 'Yahoo'],
    ['outlook.com', 'Microsoft'],
    ['hotmail.com', 'Microsoft'],
    ['hotmail.co.uk', 'Microsoft'],
    ['hotmail.fr', 'Microsoft'],
    ['live.com.au', 'Microsoft'],
    ['msn.com', 'Microsoft'],
    ['icloud.com', 'Apple'],
    ['me.com', 'Apple'],
    ['mac.com', 'Apple'],
    ['comcast.net', 'Comcast'],
    ['gmx.de', 'United Internet'],
    ['gmx.at', 'United Internet'],
    ['web.de', 'United Internet'],
    ['mail.com', 'United Internet'],
    ['orange.fr', 'Orange'],
    ['wanadoo.fr', 'Orange'],
    ['mail.ru', 'Mail.ru'],
    ['yandex.ru', 'Yandex'],
    ['free.fr', 'Free'],
    ['laposte.net', 'La Poste'],
    ['t-online.de', 'T-Online'],
    ['libero.it', 'Libero/Italiaonline'],
    ['seznam.cz', 'Seznam'],
    ['naver.com', 'Naver'],
    ['qq.com', 'QQ/Tencent'],
    ['163.com', 'NetEase'],
    ['cox.net', 'Cox'],
    ['charter.net', 'Charter/Spectrum'],
    ['att.net', 'AT&T'],
    ['sbcglobal.net', 'AT&T'],
    ['bellsouth.net', 'AT&T'],
    ['rogers.com', 'Rogers'],
    ['shaw.ca', 'Shaw'],
    ['btinternet.com', 'BT'],
    ['proton.me', 'Proton'],
  ])('maps %s to %s', (domain, provider) => {
    expect(providerOf(domain)).toBe(provider);
  });

  it('matches subdomains through their parent domains', () => {
    expect(providerOf('mail.yahoo.co.jp')).toBe('Yahoo');
    expect(providerOf('nyc.rr.com')).toBe('Charter/Spectrum');
    expect(providerOf('vip.qq.com')).toBe('QQ/Tencent');
    expect(providerOf('mx.hotmail.de')).toBe('Microsoft');
  });

  it("does not sweep in lookalike hosts: 'Other' when unmapped, 'Unknown' for ''", () => {
    expect(providerOf('1181.com')).toBe('Other');
    expect(providerOf('yahoo.example.org')).toBe('Other');
    expect(providerOf('notgmail.com')).toBe('Other');
    expect(providerOf('bücher.de')).toBe('Other');
    expect(providerOf('')).toBe('Unknown');
  });
});

describe('provider overrides', () => {
  it('extends and overrides the built-in map, exact names, subdomains and * patterns', () => {
    loadProviderOverrides(
      writeProvidersFile(
        JSON.stringify({
          'Acme Mail': ['acme.example', 'acme-*.net'],
          'Google Workspace': ['1181.com'],
          Mine: ['gmail.com'],
        }),
      ),
    );
    expect(providerOf('acme.example')).toBe('Acme Mail');
    expect(providerOf('eu.acme.example')).toBe('Acme Mail');
    expect(providerOf('acme-berlin.net')).toBe('Acme Mail');
    expect(providerOf('1181.com')).toBe('Google Workspace');
    expect(providerOf('gmail.com')).toBe('Mine');
    expect(providerOf('yahoo.fr')).toBe('Yahoo');
  });

  it('loads ACCT_PROVIDERS_FILE lazily on first use', () => {
    process.env.ACCT_PROVIDERS_FILE = writeProvidersFile('{"Corp": ["corp.example"]}');
    resetProviderOverrides();
    expect(providerOf('corp.example')).toBe('Corp');
  });

  it('throws a clear error naming the file and the problem', () => {
    const notJson = writeProvidersFile('{ "Corp": [');
    expect(() => loadProviderOverrides(notJson)).toThrow(`providers file ${notJson}: is not valid JSON`);
    const badShape = writeProvidersFile('{"Corp": "corp.example"}');
    expect(() => loadProviderOverrides(badShape)).toThrow(
      `providers file ${badShape}: "Corp" must map to an array of domain strings`,
    );
    const badEntry = writeProvidersFile('{"Corp": [42]}');
    expect(() => loadProviderOverrides(badEntry)).toThrow(
      '"Corp" has an entry that is not a non-empty string: 42',
    );
    expect(() => loadProviderOverrides('/nonexistent/providers.json')).toThrow(
      'providers file /nonexistent/providers.json: cannot be read',
    );
  });

  it('keeps failing while ACCT_PROVIDERS_FILE is bad, instead of silently ignoring it', () => {
    process.env.ACCT_PROVIDERS_FILE = writeProvidersFile('[]');
    resetProviderOverrides();
    expect(() => providerOf('gmail.com')).toThrow(
      /^ACCT_PROVIDERS_FILE: providers file .*must be a JSON object/,
    );
    expect(() => providerOf('gmail.com')).toThrow(/ACCT_PROVIDERS_FILE/);
  });
});

describe('complaintProvider', () => {
  it('attributes a Microsoft JMRP report to Microsoft', () => {
    expect(complaintProvider(null, null, 'abuse', 'jmrp')).toBe('Microsoft');
    expect(complaintProvider('dns; hotmail.com', null, 'abuse', 'arf')).toBe('Microsoft');
    expect(complaintProvider(null, 'Microsoft JMRP', null, null)).toBe('Microsoft');
    expect(complaintProvider('mail.outlook.com', null, null, null)).toBe('Microsoft');
  });

  it('attributes other feedback loops by their reporting host or user agent', () => {
    expect(complaintProvider('dns; feedback.yahoo.com', 'Yahoo!-Mail-Feedback/2.0', 'abuse', 'arf')).toBe(
      'Yahoo',
    );
    expect(complaintProvider('dns; aol.com', null, 'abuse', 'arf')).toBe('Yahoo');
    expect(complaintProvider('dns; fbl.comcast.net', null, 'abuse', 'arf')).toBe('Comcast');
    expect(complaintProvider('dns; fbl.mail.ru (1.2.3.4)', null, 'abuse', 'arf')).toBe('Mail.ru');
  });

  it("is 'Unknown' when the source says nothing recognisable", () => {
    expect(complaintProvider(null, null, null, null)).toBe('Unknown');
    expect(complaintProvider('dns; fbl.example.net', 'SomeFBL/1.0', 'abuse', 'arf')).toBe('Unknown');
  });
});
