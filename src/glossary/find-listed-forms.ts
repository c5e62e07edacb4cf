// Which glossary terms have a listed German form written, character for character, somewhere in a text
// (the colophon's terms): one pass over the text for all forms, with @monyone/aho-corasick's automaton built once.
import { AhoCorasick } from '@monyone/aho-corasick';
import { termForms, type Glossary, type GlossaryTerm } from './glossary.js';

/** The terms with a listed form in the text, each once, in no particular order. */
export type ListedFormFinder = (text: string) => Set<GlossaryTerm>;

/** Compiles the glossary's listed forms (every term's German and its forms) into one finder. */
export function compileListedFormFinder(glossary: Glossary): ListedFormFinder {
  // Two terms may list the same form: a form found is each of its terms found.
  const owners = new Map<string, GlossaryTerm[]>();
  for (const term of glossary.terms) for (const { de } of termForms(term)) if (de !== '') owners.set(de, [...(owners.get(de) ?? []), term]);
  if (owners.size === 0) return () => new Set();
  const automaton = new AhoCorasick([...owners.keys()]);
  return (text) => new Set(automaton.matchInText(text).flatMap((m) => owners.get(m.keyword) ?? []));
}
