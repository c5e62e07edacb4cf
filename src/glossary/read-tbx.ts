// Reads a TBX termbase (ISO 30042: TBX 2 `martif` as OmegaT, Trados and memoQ export it, or TBX 3 `tbx`)
// into glossary terms: the German and English of each entry, other German terms as forms, notes.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Message } from '../model.js';
import { InputError } from '../util/errors.js';
import type { GlossaryTerm, TermForm } from './glossary.js';

/** Terms read from an import file (`line`: where the entry starts in it) and what was left out, per line. */
export interface ImportedTerms {
  terms: GlossaryTerm[];
  skipped: Message[];
}

/**
 * Reads TBX text. Per entry (`termEntry` in TBX 2, `conceptEntry` in TBX 3): the German terms
 * (`xml:lang` `de`, `de-DE` …) and English terms (`en`, `en-US`, `en-GB` …; those of `targetLang`
 * first) of its `langSet`/`langSec`, each in a `tig`, `ntig` or `termSec`. The German term marked
 * preferred (`administrativeStatus`: a `termNote` of that type, or in TBX 3's DCT style an element of
 * that name) or else the first is the term, the other German terms and
 * the `;`-separated content of a `termNote` whose type names inflection are its forms. A German
 * term with a `ref type="crossReference"` to an English term of the entry takes that English
 * (how `writeTbx` exports a form's own English); the term takes the preferred or first English
 * that is not deprecated. `note`s and definitions at any level of the entry make the note.
 * Entries without German or English are skipped, each reported at its line; so are English
 * terms left out. A file that is not well-formed XML, or not TBX, is an InputError naming
 * file and line.
 */
export function readTbx(text: string, file: string, targetLang = 'en-US'): ImportedTerms {
  const body = text.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new InputError(
      `${file}:${valid.err.line}:${valid.err.col}: not well-formed XML: ${valid.err.msg}`,
      'fix the file (or export it again), then run the import again',
    );
  }
  const parser = new XMLParser({
    preserveOrder: true,
    captureMetaData: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Character references (`&#8217;`, `&#x2019;`), as CAT tools write typographic characters, are read as the characters.
    htmlEntities: true,
  });
  let nodes: XmlNode[];
  try {
    nodes = parser.parse(body) as XmlNode[];
  } catch (error) {
    // What the parser refuses in a well-formed file: a DOCTYPE's external entities (never fetched), too many expansions.
    const doctype = body.search(/<!DOCTYPE/i);
    throw new InputError(
      `${file}:${doctype < 0 ? 1 : body.slice(0, doctype).split('\n').length}: cannot read this TBX file: ${(error as Error).message}`,
      'remove the DOCTYPE declaration (or its entities) from the file, then run the import again',
    );
  }
  const lineAt = lineFinder(body);
  const root = nodes.find((n) => tagOf(n) !== undefined && !tagOf(n)?.startsWith('#'));
  const rootName = root === undefined ? undefined : localName(tagOf(root) ?? '');
  if (rootName !== 'martif' && rootName !== 'tbx') {
    throw new InputError(
      `${file}:${root === undefined ? 1 : lineAt(root)}: not a TBX file: the root element is ${rootName === undefined ? 'missing' : `<${rootName}>`}, expected <martif> (TBX 2) or <tbx> (TBX 3)`,
    );
  }
  const terms: GlossaryTerm[] = [];
  const skipped: Message[] = [];
  for (const entry of descendants(root as XmlNode, ['termEntry', 'conceptEntry'])) {
    const line = lineAt(entry);
    const report = (message: string): void => {
      skipped.push({ file, line, rule: 'tbx', severity: 'warning', message });
    };
    const read = readEntry(entry, targetLang.toLowerCase());
    const id = attr(entry, 'id');
    const name = `entry${id ? ` "${id}"` : ''}`;
    if (read.german.length === 0) {
      report(`${name} has no German term (xml:lang "de" or "de-…")${read.languages ? ` (languages: ${read.languages})` : ''}; skipped`);
      continue;
    }
    const head = pickHead(read.german);
    const referenced = new Set(read.german.map((t) => t.ref).filter((r) => r !== undefined));
    const byId = new Map(read.english.filter((t) => t.id !== undefined).map((t) => [t.id, t.text]));
    const englishOf = (t: TermItem): string | undefined => (t.ref === undefined ? undefined : byId.get(t.ref));
    const usable = read.english.filter((t) => !t.deprecated);
    const free = usable.filter((t) => t.id === undefined || !referenced.has(t.id));
    const candidates = free.length > 0 ? free : usable;
    // The project's variant before any other, whatever their status: an en-GB preferred term is no term of an en-US project.
    const best = candidates[0]?.rank;
    const main = englishOf(head) ?? pickHead(candidates.filter((t) => t.rank === best))?.text;
    if (main === undefined) {
      report(
        `${name} ("${head.text}") has no English term (xml:lang "en" or "en-…")${read.english.length > 0 ? ' that is not deprecated' : ''}; skipped`,
      );
      continue;
    }
    const forms: TermForm[] = [];
    const seen = new Set([head.text]);
    const addForm = (de: string, en: string): void => {
      if (de === '' || seen.has(de)) return;
      seen.add(de);
      forms.push({ de, en });
    };
    for (const inflected of head.inflections) addForm(inflected, main);
    for (const t of read.german) {
      if (t === head) continue;
      const en = englishOf(t) ?? main;
      addForm(t.text, en);
      for (const inflected of t.inflections) addForm(inflected, en);
    }
    const left = read.english.filter((t) => t.text !== main && !(t.id !== undefined && referenced.has(t.id)));
    if (left.length > 0) {
      report(
        `"${head.text}": English ${left.map((t) => `"${t.text}"${t.deprecated ? ' (deprecated)' : ''}`).join(', ')} left out; the glossary keeps one English per term ("${main}")`,
      );
    }
    terms.push({ german: head.text, english: main, forms, note: read.notes.join(' — '), line });
  }
  return { terms, skipped };
}

/** One term of an entry as TBX gives it. */
interface TermItem {
  text: string;
  id: string | undefined;
  /** The target of the term's cross-reference, if it has one. */
  ref: string | undefined;
  preferred: boolean;
  deprecated: boolean;
  /** Inflected forms listed in a term note. */
  inflections: string[];
}

/** The German and English terms, notes and other languages of one entry. */
function readEntry(
  entry: XmlNode,
  target: string,
): {
  german: TermItem[];
  /** Ranked by variant: 0 the project's, 1 plain `en`, 2 another. */
  english: Array<TermItem & { rank: number }>;
  notes: string[];
  languages: string;
} {
  const german: TermItem[] = [];
  const english: Array<TermItem & { rank: number }> = [];
  const notes: string[] = [];
  const others = new Set<string>();
  const addNotes = (node: XmlNode, deep: boolean): void => {
    for (const n of deep ? descendants(node, NOTE_TAGS) : children(node).filter((c) => NOTE_TAGS.includes(localName(tagOf(c) ?? '')))) {
      const name = localName(tagOf(n) ?? '');
      if (name === 'descrip' && !NOTE_DESCRIPS.has((attr(n, 'type') ?? '').toLowerCase())) continue;
      // Written with its white space kept (`xml:space="preserve"`, as `writeTbx` marks a note with line breaks): taken as it is.
      const note = attr(n, 'xml:space') === 'preserve' ? textOf(n) : collapse(textOf(n));
      if (note !== '' && !notes.includes(note)) notes.push(note);
    }
  };
  for (const child of children(entry)) {
    const name = localName(tagOf(child) ?? '');
    if (name === 'descripGrp') addNotes(child, true);
    else if (name !== 'langSet' && name !== 'langSec') addNotes({ wrap: [child] }, false);
  }
  for (const lang of children(entry).filter((c) => ['langSet', 'langSec'].includes(localName(tagOf(c) ?? '')))) {
    const code = (attr(lang, 'xml:lang') ?? attr(lang, 'lang') ?? '').toLowerCase();
    const isGerman = code === 'de' || code.startsWith('de-');
    const isEnglish = code === 'en' || code.startsWith('en-');
    if (!isGerman && !isEnglish) {
      if (code !== '') others.add(code);
      continue;
    }
    // Notes of the language and of its terms; notes of other languages are not for this glossary.
    for (const c of children(lang)) {
      const name = localName(tagOf(c) ?? '');
      if (!TERM_TAGS.includes(name)) addNotes({ wrap: [c] }, true);
    }
    const rank = code === target ? 0 : code === 'en' ? 1 : 2;
    for (const holder of children(lang).filter((c) => TERM_TAGS.includes(localName(tagOf(c) ?? '')))) {
      const termNode = descendants(holder, ['term'])[0];
      const text = termNode === undefined ? '' : collapse(textOf(termNode));
      if (text === '') continue;
      // A data category is a `termNote` of its type (TBX 2, TBX 3 DCA style) or an element of its name (TBX 3 DCT style).
      const termNotes = descendants(holder, ['termNote', ...STATUS_ELEMENTS]).map((n) => ({
        type: localName(tagOf(n) ?? '') === 'termNote' ? (attr(n, 'type') ?? '') : localName(tagOf(n) ?? ''),
        node: n,
      }));
      // Values in any case, as tools write them (`deprecatedTerm-admn-sts`, `DeprecatedTerm-admn-sts`, `Forbidden`).
      const statuses = termNotes
        .filter((t) => STATUS_TYPES.includes(t.type.toLowerCase()))
        .map((t) => collapse(textOf(t.node)).toLowerCase());
      const inflections = termNotes
        .filter((t) => /inflect/i.test(t.type))
        .map((t) => t.node)
        .flatMap((n) => textOf(n).split(';'))
        .map(collapse)
        .filter((f) => f !== '');
      const ref = descendants(holder, ['ref'])
        .filter((n) => (attr(n, 'type') ?? 'crossReference') === 'crossReference')
        .map((n) => attr(n, 'target'))
        .find((t) => t !== undefined);
      const item: TermItem = {
        text,
        id: attr(holder, 'id') ?? (termNode === undefined ? undefined : attr(termNode, 'id')),
        ref,
        preferred: statuses.some((s) => /^preferred/.test(s)),
        deprecated: statuses.some((s) => /^(deprecated|superseded|forbidden|not ?recommended|rejected)/.test(s)),
        inflections,
      };
      addNotes(holder, true);
      if (isGerman) german.push(item);
      else english.push({ ...item, rank });
    }
  }
  // Stable: English of the configured variant first, then plain `en`, then other variants.
  english.sort((a, b) => a.rank - b.rank);
  return { german, english, notes, languages: [...others].join(', ') };
}

/** The preferred term, else the first that is not deprecated, else the first. */
function pickHead<T extends { preferred: boolean; deprecated: boolean }>(items: T[]): T {
  return (items.find((t) => t.preferred && !t.deprecated) ?? items.find((t) => !t.deprecated) ?? items[0]) as T;
}

/** Elements that hold one term. */
const TERM_TAGS = ['tig', 'ntig', 'termSec'];
/** A term's status: the elements that give it in TBX 3's DCT style (`<min:administrativeStatus>`). */
const STATUS_ELEMENTS = ['administrativeStatus', 'normativeAuthorization'];
/** The types of `termNote` (TBX 2) that give a term's status, in lower case (tools write them in any); `usage` as memoQ writes it. */
const STATUS_TYPES = [...STATUS_ELEMENTS.map((e) => e.toLowerCase()), 'usage'];
/**
 * Elements whose text is a note for the translator: `note`, a `descrip` of a type below, and the
 * elements TBX 3 in DCT style names after those types (`<basic:definition>`).
 */
const NOTE_TAGS = ['note', 'descrip', 'definition', 'explanation', 'usageNote'];
/** `descrip` types that are notes (subject fields, contexts and images are not), in any case (MultiTerm writes "Definition"). */
const NOTE_DESCRIPS = new Set(['definition', 'explanation', 'usagenote', 'note']);

/** A node of fast-xml-parser's `preserveOrder` output: `{ tag: children, ':@': attributes }`. */
type XmlNode = Record<string, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as string;

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

/** The name without its namespace prefix. */
function localName(tag: string): string {
  return tag.replace(/^[^:]*:/, '');
}

function children(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const value = tag === undefined ? undefined : node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attr(node: XmlNode, name: string): string | undefined {
  return (node[':@'] as Record<string, string> | undefined)?.[name];
}

/** Descendants named `names` (not looking inside a match), in document order. */
function descendants(node: XmlNode, names: readonly string[]): XmlNode[] {
  const found: XmlNode[] = [];
  const walk = (n: XmlNode): void => {
    for (const c of children(n)) {
      if (names.includes(localName(tagOf(c) ?? ''))) found.push(c);
      else walk(c);
    }
  };
  walk(node);
  return found;
}

/** All text inside a node (inline `hi` and the like included). */
function textOf(node: XmlNode): string {
  if (typeof node['#text'] === 'string' || typeof node['#text'] === 'number') return String(node['#text']);
  return children(node).map(textOf).join('');
}

/** Runs of white space (line breaks of a pretty-printed file included) as one space, trimmed. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The 1-based line at which a parsed node starts in the text. */
function lineFinder(text: string): (node: XmlNode) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (node) => {
    const index = (node[META] as { startIndex?: number } | undefined)?.startIndex ?? 0;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if ((starts[mid] ?? 0) <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
