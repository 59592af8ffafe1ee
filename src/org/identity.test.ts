import { describe, expect, it } from 'vitest';
import { createIdentityResolver } from './identity.js';
import type { Person } from './model.js';

function buildPerson(overrides: Partial<Person> & Pick<Person, 'id' | 'name'>): Person {
  return { teamId: null, bot: false, emails: [], aliases: [], logins: [], source: 'api', ...overrides };
}

describe('createIdentityResolver', () => {
  const ada = buildPerson({ id: 'ada', name: 'Ada Lovelace', emails: ['ada@example.com', 'ada@home.example'], logins: ['ada-l'] });
  const alexA = buildPerson({ id: 'alex-a', name: 'Alex', emails: ['alex.a@example.com'] });
  const alexB = buildPerson({ id: 'alex-b', name: 'Alex', emails: ['alex.b@example.com'] });
  const bot = buildPerson({ id: 'renovate', name: 'renovate[bot]', bot: true, logins: ['renovate[bot]'] });
  const resolver = createIdentityResolver([ada, alexA, alexB, bot]);

  it('merges every email of one person into the same identity, ignoring case', () => {
    expect(resolver.resolve({ email: 'ADA@example.com' })?.id).toBe('ada');
    expect(resolver.resolve({ email: ' ada@home.example ' })?.id).toBe('ada');
    expect(resolver.resolve({ login: 'Ada-L' })?.id).toBe('ada');
  });

  it('reads a name typed with a combining accent as the precomposed one (NFC)', () => {
    const jose = buildPerson({ id: 'jose', name: 'Jos\u00e9 Silva', emails: ['jose@example.com'] });
    const withJose = createIdentityResolver([jose]);
    // "Jose\u0301" (e + combining acute, NFD) and "Jos\u00e9" (precomposed) render alike; without NFC they differ.
    expect(withJose.resolve({ name: 'Jose\u0301 Silva' })?.id).toBe('jose');
    expect(withJose.resolve({ email: 'JOSE@example.com' })?.id).toBe('jose');
  });

  it('prefers the email over a name that points elsewhere', () => {
    expect(resolver.resolve({ name: 'Alex', email: 'ada@example.com' })?.id).toBe('ada');
  });

  it('uses a name only when it is unambiguous', () => {
    expect(resolver.resolve({ name: 'ada lovelace', email: 'unknown@example.com' })?.id).toBe('ada');
    expect(resolver.resolve({ name: 'Alex' })).toBeUndefined();
  });

  it('keeps bots flagged and returns nothing for strangers', () => {
    expect(resolver.resolve({ login: 'renovate[bot]' })?.bot).toBe(true);
    expect(resolver.resolve({ name: 'Nobody', email: 'nobody@example.com' })).toBeUndefined();
  });
});
