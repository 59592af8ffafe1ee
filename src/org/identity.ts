import type { Person } from './model.js';

/** How an author appears in a source: a commit's name and email, a forge login. */
export interface AuthorSignature {
  name?: string | undefined;
  email?: string | undefined;
  login?: string | undefined;
}

export interface IdentityResolver {
  /** The person behind a signature, or undefined when nobody in the org matches. */
  resolve(signature: AuthorSignature): Person | undefined;
}

/**
 * Maps author signatures to people. An email or login identifies a person
 * exactly; a name is used only when neither matches, because names collide
 * ("Alex") while emails and logins do not. Comparison ignores case and
 * surrounding space, as git and forges do for emails and logins, and Unicode
 * normalisation form (names and emails are compared in NFC).
 */
export function createIdentityResolver(people: readonly Person[]): IdentityResolver {
  const byEmail = new Map<string, Person>();
  const byLogin = new Map<string, Person>();
  const byName = new Map<string, Person | null>();
  for (const person of people) {
    person.emails.forEach((email) => byEmail.set(normalise(email), person));
    person.logins.forEach((login) => byLogin.set(normalise(login), person));
    for (const name of [person.name, ...person.aliases]) {
      const key = normalise(name);
      const existing = byName.get(key);
      // Two people sharing a name make the name useless as evidence: mark it ambiguous.
      byName.set(key, existing === undefined || existing?.id === person.id ? person : null);
    }
  }
  return {
    resolve(signature) {
      if (signature.email) {
        const person = byEmail.get(normalise(signature.email));
        if (person) return person;
      }
      if (signature.login) {
        const person = byLogin.get(normalise(signature.login));
        if (person) return person;
      }
      if (signature.name) return byName.get(normalise(signature.name)) ?? undefined;
      return undefined;
    },
  };
}

function normalise(value: string): string {
  // NFC first: one name typed precomposed ("é") or decomposed ("e" + U+0301) is the same name.
  return value.normalize('NFC').trim().toLowerCase();
}
