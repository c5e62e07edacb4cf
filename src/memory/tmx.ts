import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Origin, Status } from '../model.js';
import { normalise } from '../segment/normalise.js';
import { fromXmlText } from '../text/xml-text.js';
import { escapeXml } from '../text/escape.js';
import { LineIndex } from '../util/lines.js';
import { InputError } from '../util/errors.js';
import { isAcceptanceList, type Acceptance, type MemoryEntry } from './entry.js';
import type { Message } from '../model.js';
import { sha256 } from '../util/hash.js';

const ORIGINS: readonly Origin[] = ['human', 'deepl', 'tmx', 'copy'];
const STATUSES: readonly Status[] = ['draft', 'reviewed', 'approved'];

/**
 * Trados Studio's confirmation levels (`<prop type="x-ConfirmationLevel">`) as statuses: a draft
 * or rejected translation still needs a review, a translated one is a translator's, an approved or
 * signed-off one is approved.
 */
const CONFIRMATION: ReadonlyMap<string, Status> = new Map([
  ['Unspecified', 'draft'],
  ['Draft', 'draft'],
  ['RejectedTranslation', 'draft'],
  ['RejectedSignOff', 'draft'],
  ['Translated', 'reviewed'],
  ['ApprovedTranslation', 'approved'],
  ['ApprovedSignOff', 'approved'],
]);

/**
 * Writes entries as TMX 1.4b: one `<tu>` per entry, German and English `<tuv>`s, diglot's origin
 * and status as `<prop>`s, creation and change dates in TMX's basic ISO format. A machine
 * translation carries its DeepL settings hash and a stamp of its texts (see {@link machineStamp});
 * an entry with accepted findings carries them, with a stamp of the texts they were accepted for.
 */
export function toTmx(entries: readonly MemoryEntry[], sourceLang = 'de'): string {
  const units = entries.map((e) =>
    [
      `    <tu creationdate="${tmxDate(e.created)}" changedate="${tmxDate(e.updated)}" creationtool="diglot">`,
      `      <prop type="x-diglot-origin">${escapeXml(e.origin)}</prop>`,
      `      <prop type="x-diglot-status">${escapeXml(e.status)}</prop>`,
      ...(e.origin === 'deepl'
        ? [
            ...(e.settings !== undefined ? [`      <prop type="x-diglot-settings">${escapeXml(e.settings)}</prop>`] : []),
            `      <prop type="x-diglot-machine">${machineStamp(e)}</prop>`,
          ]
        : []),
      ...(e.accepted && e.accepted.length > 0
        ? [`      <prop type="x-diglot-accepted">${escapeXml(JSON.stringify({ for: textsStamp(e), accepted: e.accepted }))}</prop>`]
        : []),
      `      <tuv xml:lang="${escapeXml(sourceLang)}"><seg>${escapeXml(e.source)}</seg></tuv>`,
      `      <tuv xml:lang="${escapeXml(e.lang)}"><seg>${escapeXml(e.target)}</seg></tuv>`,
      '    </tu>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<tmx version="1.4">',
    `  <header creationtool="diglot" creationtoolversion="0.1.0" segtype="paragraph" o-tmf="diglot-jsonl" adminlang="en" srclang="${escapeXml(sourceLang)}" datatype="plaintext"/>`,
    '  <body>',
    ...units,
    '  </body>',
    '</tmx>',
    '',
  ].join('\n');
}

/**
 * A machine translation's stamp in TMX (`x-diglot-machine`): a hash of its German, English and
 * settings, which an import finds again only while the English is as DeepL wrote it (not edited in
 * another tool), and then takes it as the machine translation it is.
 */
export function machineStamp(e: Pick<MemoryEntry, 'source' | 'target' | 'settings'>): string {
  return stampOf(e.source, e.target, e.settings ?? '');
}

/** A stamp of an entry's German and English: what findings accepted in an export were accepted for. */
function textsStamp(e: Pick<MemoryEntry, 'source' | 'target'>): string {
  return stampOf(e.source, e.target);
}

/** A short hash of texts, in an export's `<prop>`s: an import finds it again only while the texts are as they were. */
function stampOf(...texts: string[]): string {
  return sha256(JSON.stringify(texts)).slice(0, 16);
}

/**
 * The findings a unit's `x-diglot-accepted` carries, when they were accepted for the entry's German
 * and English as they are (not for an English edited in another tool since); else none.
 */
function acceptedFor(prop: string | undefined, entry: MemoryEntry): Acceptance[] | undefined {
  if (prop === undefined) return undefined;
  try {
    const kept = JSON.parse(prop) as { for?: unknown; accepted?: unknown };
    return kept.for === textsStamp(entry) && isAcceptanceList(kept.accepted) && kept.accepted.length > 0 ? kept.accepted : undefined;
  } catch {
    return undefined;
  }
}

/** A translation unit read: its number and line in the file, and whether it carries a date (else it is stamped now). */
export interface TmxUnit {
  unit: number;
  line: number;
  dated: boolean;
}

/**
 * Reads TMX (1.4b, as OmegaT and other CAT tools write it): for each `<tu>`, the German and the
 * English `<tuv>` in the wanted target language (or any `en` variant, counted in `otherEnglish`
 * by its language: taken as the target language, its text as it is). Inline TMX markup (`<bpt>`,
 * `<ph>` …) is dropped, its text kept. Units without both sides are reported.
 */
export function fromTmx(
  xml: string,
  targetLang: string,
  now: string,
  file = 'tmx',
): {
  entries: MemoryEntry[];
  problems: Message[];
  otherEnglish: Record<string, number>;
  /**
   * The entries whose unit stated its status (`x-diglot-status`, as diglot exports it, or Trados's
   * `x-ConfirmationLevel`); the others' is `reviewed` by default.
   */
  stated: ReadonlySet<MemoryEntry>;
  /** The machine translations whose stamp shows their English as DeepL wrote it (see {@link machineStamp}), with their settings. */
  machine: ReadonlySet<MemoryEntry>;
  /** Where each entry's unit is in the file, and whether it has a date. */
  units: ReadonlyMap<MemoryEntry, TmxUnit>;
  /** Units left out (no German or English, or an English of several paragraphs), each among the problems. */
  skipped: number;
} {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => name === 'tu' || name === 'tuv' || name === 'prop',
    parseTagValue: false,
    trimValues: false,
    stopNodes: ['*.seg'],
    processEntities: true,
  });
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    // Elements left open at the end (a file cut off at a line's end): the validator names them at line 1.
    const open = /^Invalid '\[(.*)\]' found\.$/.exec(valid.err.msg);
    const at = open
      ? `${new LineIndex(xml).at(xml.trimEnd().length).line}`
      : `${valid.err.line}${valid.err.col === undefined ? '' : `:${valid.err.col}`}`;
    // An error on the last line of a file that never closes its <tmx> is most likely the cut itself.
    const lastLine = xml.trimEnd().split('\n').length;
    const cut = !open && valid.err.line >= lastLine && !/<\/tmx>\s*$/.test(xml) ? '; the file ends without </tmx>: it may be cut off' : '';
    const why = open
      ? `the file ends before ${openTags(open[1] ?? '')} are closed: it may be cut off`
      : `not valid XML: ${valid.err.msg}${cut}`;
    throw new InputError(
      `${file}:${at}: ${why}`,
      'fix the file there (or export it again from the tool that made it), then run the import again',
    );
  }
  // The DOCTYPE's entities first: one the parser would refuse (an external entity) is named at its line.
  const entities = declaredEntities(xml, file);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (error) {
    throw new InputError(
      `${file}: not a TMX file diglot can read: ${(error as Error).message}`,
      'fix the file (or export it again from the tool that made it), then run the import again',
    );
  }
  const tmx = (doc as { tmx?: { body?: { tu?: unknown[] } | '' } }).tmx;
  // An empty body (`<body/>`) is a TMX without units, which the parser reads as an empty string.
  if (tmx === undefined || typeof tmx !== 'object' || !('body' in tmx))
    throw new InputError(`${file}:1: not a TMX file: no <tmx><body>`, 'give a TMX 1.4 file, as CAT tools export translation memories');
  const body = typeof tmx.body === 'object' ? tmx.body : {};
  const entries: MemoryEntry[] = [];
  const stated = new Set<MemoryEntry>();
  const machine = new Set<MemoryEntry>();
  const units = new Map<MemoryEntry, TmxUnit>();
  const problems: Message[] = [];
  const otherEnglish: Record<string, number> = {};
  const lineOf = unitLines(xml);
  let skipped = 0;
  (body.tu ?? []).forEach((raw, i) => {
    const tu = raw as Record<string, unknown>;
    const line = lineOf(i);
    const warn = (message: string): void => {
      problems.push({ file, line, rule: 'tmx', severity: 'warning', message: `translation unit ${i + 1} ${message}` });
    };
    const tuvs = (tu['tuv'] as Array<Record<string, unknown>> | undefined) ?? [];
    const langAttribute = (t: Record<string, unknown>): string => String(t['@xml:lang'] ?? t['@lang'] ?? '');
    // Compared in one spelling: `en_US`, as some tools write a locale, is `en-US`.
    const langOf = (t: Record<string, unknown>): string => langAttribute(t).toLowerCase().replaceAll('_', '-');
    const de = tuvs.find((t) => langOf(t).startsWith('de'));
    // The target language's English, unless it is empty there and another variant has one.
    // Blank, or inline codes alone (a Trados `<ph>` for a line break): no text.
    const withText = (t: Record<string, unknown>): boolean => segText(t['seg'], entities).trim() !== '';
    const exact = tuvs.filter((t) => langOf(t) === targetLang.toLowerCase());
    const english = exact.some(withText) ? exact : tuvs.filter((t) => langOf(t).startsWith('en'));
    // Several English versions in one unit: the newest is taken, and the others are named, not dropped unsaid.
    const en = newest(english.filter(withText));
    // An entity XML does not know (`&nbsp;`, as HTML writes it) would go into the English as it is written.
    const unknown = [de, en].flatMap((t) => (t ? undefinedEntities(t['seg'], entities) : []));
    if (unknown.length > 0) {
      warn(
        `uses ${[...new Set(unknown)].join(', ')}, which XML does not define (only &amp; &lt; &gt; &quot; &apos; and ` +
          "what the file's DOCTYPE declares); skipped: write the character itself, or &#160; for a no-break space",
      );
      skipped++;
      return;
    }
    const source = de ? segText(de['seg'], entities) : '';
    const target = en ? segText(en['seg'], entities) : '';
    if (normalise(source) === '' || target.trim() === '') {
      warn('needs a German and an English <tuv> with text; skipped');
      skipped++;
      return;
    }
    const others = [...new Set(english.map((t) => segText(t['seg'], entities)).filter((t) => t.trim() !== '' && t !== target))];
    if (others.length > 0)
      warn(`has ${english.length} English <tuv>s; the newest taken, ${others.map((t) => `"${t}"`).join(', ')} left out`);
    // A paragraph's English is one paragraph: a blank line in it would split the review file's pair and the English Markdown.
    if (/\n[ \t]*\n/.test(target.trim())) {
      warn("has a blank line in its English, and a paragraph's English is one paragraph; skipped");
      skipped++;
      return;
    }
    const variant = langAttribute(en as Record<string, unknown>);
    if (langOf(en as Record<string, unknown>) !== targetLang.toLowerCase()) otherEnglish[variant] = (otherEnglish[variant] ?? 0) + 1;
    const props = new Map(
      ((tu['prop'] as Array<Record<string, unknown>> | undefined) ?? []).map((p) => [String(p['@type']), String(p['#text'] ?? '')]),
    );
    const origin = props.get('x-diglot-origin') as Origin | undefined;
    const own = props.get('x-diglot-status') as Status | undefined;
    const status = own && STATUSES.includes(own) ? own : CONFIRMATION.get(props.get('x-ConfirmationLevel') ?? '');
    // The English's own dates (OmegaT writes them on the <tuv>), else the unit's.
    const created = isoDate(en?.['@creationdate'] ?? tu['@creationdate']);
    const updated = isoDate(en?.['@changedate'] ?? tu['@changedate'] ?? en?.['@creationdate'] ?? tu['@creationdate']);
    const entry: MemoryEntry = {
      source: normalise(source),
      target: target.trim(),
      lang: targetLang,
      origin: origin && ORIGINS.includes(origin) ? origin : 'tmx',
      status: status ?? 'reviewed',
      created: created ?? now,
      updated: updated ?? now,
    };
    const accepted = acceptedFor(props.get('x-diglot-accepted'), entry);
    if (accepted) entry.accepted = accepted;
    const settings = props.get('x-diglot-settings');
    if (entry.origin === 'deepl' && props.get('x-diglot-machine') === machineStamp({ ...entry, settings })) {
      if (settings !== undefined) entry.settings = settings;
      machine.add(entry);
    }
    entries.push(entry);
    units.set(entry, { unit: i + 1, line, dated: updated !== undefined });
    if (status) stated.add(entry);
  });
  return { entries, problems, otherEnglish, stated, machine, units, skipped };
}

/**
 * The text of a `<seg>` kept raw by the parser: inline TMX tags removed, CDATA, character
 * references and the entities the file's DOCTYPE declares (`entities`) decoded.
 */
function segText(seg: unknown, entities: ReadonlyMap<string, string>): string {
  const raw = typeof seg === 'string' ? seg : Array.isArray(seg) ? String(seg[0] ?? '') : '';
  const text = raw.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, cdata: string) => escapeXml(cdata));
  // An inline code goes with what it holds (a self-closing `<ph x="1"/>` holds nothing); other tags (`<hi>`) leave
  // their text. Each leaves a mark, so that where one stood between two spaces one space stays; a line break's
  // placeholder (`<ph type="lb">`, a `<br>` in one) leaves a space, so that the words on either side stay apart.
  const marked = text.replace(/<(bpt|ept|ph|it|ut)\b(?:[^>]*[^/>])?>[\s\S]*?<\/\1>|<[^>]+>/g, (tag) =>
    /^<ph\b[^>]*\btype=["']lb["']|^<ph\b[^>]*>\s*&lt;br\b/i.test(tag) ? '\u0001' : '\u0000',
  );
  const declared = marked.replace(/&([A-Za-z_][\w.-]*);/g, (all, name: string) => entities.get(name) ?? all);
  const unmarked = declared
    .replace(/ \u0000+ /g, ' ')
    .replaceAll('\u0000', '')
    .replace(/ *\u0001+ */g, ' ');
  return fromXmlText(unmarked);
}

/** The elements the validator names as left open (`"tmx", "body"`), as tags: `<tmx>, <body>`. */
function openTags(list: string): string {
  return [...list.matchAll(/"([^"]*)"/g)].map((m) => `<${m[1]}>`).join(', ') || 'its elements';
}

/** The entity references in a `<seg>` (outside CDATA) that neither XML nor the file's DOCTYPE defines. */
function undefinedEntities(seg: unknown, entities: ReadonlyMap<string, string>): string[] {
  const raw = typeof seg === 'string' ? seg : Array.isArray(seg) ? String(seg[0] ?? '') : '';
  const outside = raw.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  return [...outside.matchAll(/&([A-Za-z_][\w.-]*);/g)]
    .filter((m) => !XML_ENTITIES.has(m[1] as string) && !entities.has(m[1] as string))
    .map((m) => m[0]);
}

/** The entities XML itself defines. */
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** How long an entity's text may grow as the entities it names are put in: longer is an entity bomb, not a TMX. */
const MAX_ENTITY_CHARACTERS = 64 * 1024;

/**
 * The general entities a DOCTYPE's internal subset declares (`<!ENTITY ndash "&#8211;">`), by name,
 * with the entities each names put in. Throws an InputError at the declaration's line for an
 * external entity (diglot reads no other file or address a TMX names), one that names itself, or
 * one that grows past {@link MAX_ENTITY_CHARACTERS}.
 */
function declaredEntities(xml: string, file: string): Map<string, string> {
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/.exec(xml);
  if (!doctype) return new Map();
  const subsetAt = doctype.index + doctype[0].indexOf('[') + 1;
  // The file's lines are counted only for a refusal: a large TMX read whole pays for none.
  const refuse = (at: number, why: string, fix: string): never => {
    throw new InputError(`${file}:${new LineIndex(xml).at(subsetAt + at).line}: ${why}`, fix);
  };
  const subset = doctype[1] ?? '';
  const external = /<!ENTITY\s+(%\s*)?([A-Za-z_][\w.-]*)\s+(?:SYSTEM|PUBLIC)\b/.exec(subset);
  if (external)
    refuse(
      external.index,
      `the DOCTYPE declares "${external[2]}" as an external entity; diglot reads no other file or address a TMX names`,
      `declare its text in the file instead (<!ENTITY ${external[2]} "text">), or remove the declaration, then import again`,
    );
  const declared = new Map<string, { text: string; at: number }>();
  for (const m of subset.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(["'])([^"']*)\2\s*>/g))
    if (!declared.has(m[1] as string)) declared.set(m[1] as string, { text: m[3] as string, at: m.index });
  const expanded = new Map<string, string>();
  const expand = (name: string, trail: readonly string[]): string => {
    const done = expanded.get(name);
    if (done !== undefined) return done;
    const { text, at } = declared.get(name) as { text: string; at: number };
    if (trail.includes(name))
      refuse(at, `the entity "${name}" names itself (${[...trail, name].join(' → ')})`, 'declare it as text, then import again');
    const value = text.replace(/&([A-Za-z_][\w.-]*);/g, (all, named: string) =>
      declared.has(named) ? expand(named, [...trail, name]) : all,
    );
    if (value.length > MAX_ENTITY_CHARACTERS)
      refuse(
        at,
        `the entity "${name}" grows to ${value.length.toLocaleString('en-US')} characters as the entities it names are put in ` +
          `(more than ${MAX_ENTITY_CHARACTERS.toLocaleString('en-US')}: an entity bomb, not a translation memory)`,
        'remove the DOCTYPE, or export the memory again from the tool that made it',
      );
    expanded.set(name, value);
    return value;
  };
  for (const name of declared.keys()) expand(name, []);
  return expanded;
}

/** Of several English <tuv>s, the one changed (else created) last; the first when none has a date. */
function newest(tuvs: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> | undefined {
  const date = (t: Record<string, unknown>): string => isoDate(t['@changedate'] ?? t['@creationdate']) ?? '';
  return tuvs.reduce<Record<string, unknown> | undefined>((best, t) => (best === undefined || date(t) > date(best) ? t : best), undefined);
}

/**
 * The line of each `<tu>` in the file, by its place: the parser gives none. Counted from the
 * `<tu` tags outside comments and CDATA; 0 when the count does not match the parser's.
 */
function unitLines(xml: string): (index: number) => number {
  const lines = new LineIndex(xml);
  const starts: number[] = [];
  for (const m of xml.matchAll(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<tu[\s>/]/g)) if (m[0].startsWith('<tu')) starts.push(m.index);
  return (index) => {
    const at = starts[index];
    return at === undefined ? 0 : lines.at(at).line;
  };
}

/** ISO 8601 → TMX basic format `YYYYMMDDThhmmssZ`. */
function tmxDate(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

function isoDate(value: unknown): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(value ?? ''));
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z` : undefined;
}
