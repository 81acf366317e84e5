/**
 * Who is who: a source person becomes the Day2 person with the same email (case-insensitive),
 * else the one with the same name (case- and space-insensitive), else a new person to add, with
 * an id drawn from their email's local part or their name that no one else has.
 */
import { slugOf, type SourcePerson } from './model.js';

export interface Day2Person {
  id: string;
  name: string;
  email?: string;
}

export interface PeopleMatch {
  /** Source id → Day2 person id (matched or proposed). */
  ids: Map<string, string>;
  /** How each matched person was found, for the plan. */
  matched: { source: SourcePerson; id: string; by: 'email' | 'name' }[];
  /** People Day2 does not know yet: the `people:` entries to add. */
  unmatched: { source: SourcePerson; entry: Day2Person }[];
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

export function matchPeople(sources: readonly SourcePerson[], day2: readonly Day2Person[]): PeopleMatch {
  const byEmail = new Map(day2.filter((p) => p.email).map((p) => [norm(p.email!), p.id]));
  const byName = new Map<string, string | null>();
  // A name two Day2 people share identifies neither: such a person is matched by email only.
  for (const p of day2) byName.set(norm(p.name), byName.has(norm(p.name)) ? null : p.id);
  const taken = new Set(day2.map((p) => p.id));
  const out: PeopleMatch = { ids: new Map(), matched: [], unmatched: [] };
  for (const s of sources) {
    if (out.ids.has(s.sourceId)) continue;
    const viaEmail = s.email ? byEmail.get(norm(s.email)) : undefined;
    const viaName = byName.get(norm(s.name));
    if (viaEmail) {
      out.ids.set(s.sourceId, viaEmail);
      out.matched.push({ source: s, id: viaEmail, by: 'email' });
    } else if (viaName) {
      out.ids.set(s.sourceId, viaName);
      out.matched.push({ source: s, id: viaName, by: 'name' });
    } else {
      const base = slugOf(s.email ? s.email.split('@')[0]! : s.name, 'person');
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 60)}-${n}`;
      taken.add(id);
      out.ids.set(s.sourceId, id);
      out.unmatched.push({ source: s, entry: { id, name: s.name, ...(s.email ? { email: s.email } : {}) } });
    }
  }
  return out;
}
