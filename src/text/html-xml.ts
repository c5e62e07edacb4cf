// A raw HTML block as DeepL XML and back: every tag a placeholder, only the texts between tags
// (and the `alt` and `title` values) translated, the markup put back byte for byte.
import type { HtmlPart, HtmlSaid, Segment } from '../model.js';
import { htmlParts, withLangValues, withSaid } from './html-parts.js';
import type { InlineCodec } from './inline-xml.js';
import { fromXmlText, toXmlText } from './xml-text.js';

/**
 * What a placeholder stands for: an element around translated content, or source kept whole (a tag, a
 * comment, code, a protected token).
 */
type Slot =
  | { type: 'element'; part: Extract<HtmlPart, { type: 'element' }>; parent: number }
  | { type: 'kept'; raw: string; parent: number; at?: { start: number; end: number } };

/** A text as sent, under the key of what precedes it (`^`, `o3` the start of element 3, `c3` its end, `x4` placeholder 4). */
interface SentText {
  xml: string;
  raw: string;
}

const TOKEN = /<(\/?)([tx])(?:\s+i="(\d+)")?\s*(\/?)>|([^<]+)/y;
/** An `alt` or `title` value as it travels: after the text, a sentence of its own (`title` is a splitting tag, see `deepl.ts`). */
const SAID = /\s*<title i="(\d+)">([^<]*)<\/title>/g;

/**
 * The codec of an `html` segment. An element with content to translate travels as `<t i="n">…</t>`
 * (so DeepL sees where a cell or a paragraph ends); a void element, a comment, an element kept
 * whole (`script`, `style`, `code`, `pre` …) and a protected token as `<x i="n"/>`; the texts
 * between them escaped. `restore` takes each tag back from the source, exactly as written, and
 * each text that came back as it was sent as the source spells it (its entities, its line
 * breaks); a changed text is escaped for HTML (`&`, `<`) with the source's white space around it.
 * An answer whose placeholders are missing, repeated, unknown or moved into another element gives
 * `undefined`. Each `alt` and `title` value with words travels after the rest in a `<title i="n">`
 * of its own and comes back into its attribute, escaped for its quotes. A block that does not parse
 * cleanly is sent as escaped text (segmentation makes no such segment).
 */
export function htmlCodec(segment: Pick<Segment, 'source' | 'protected'>): InlineCodec {
  const html = segment.source;
  const parts = htmlParts(html);
  if (!parts) return { xml: toXmlText(html), markdown: true, restore: () => undefined };
  const tokens = segment.protected ?? [];
  const slots: Slot[] = [];
  const texts = new Map<string, SentText>();
  const said: HtmlSaid[] = [];
  let key = '^';

  const sendText = (raw: string, value: string): string => {
    const xml = toXmlText(value);
    texts.set(key, { xml, raw });
    return xml;
  };
  const encodeText = (raw: string, value: string, parent: number): string => {
    // Protected tokens become placeholders where the source spells the text as it reads (no entities).
    if (tokens.length === 0 || raw !== value) return sendText(raw, value);
    let xml = '';
    let rest = value;
    for (;;) {
      const next = tokens
        .map((token) => ({ token, at: rest.indexOf(token) }))
        .filter((t) => t.at >= 0)
        .sort((a, b) => a.at - b.at || b.token.length - a.token.length)[0];
      if (!next) break;
      if (next.at > 0) xml += sendText(rest.slice(0, next.at), rest.slice(0, next.at));
      slots.push({ type: 'kept', raw: next.token, parent });
      xml += `<x i="${slots.length - 1}"/>`;
      key = `x${slots.length - 1}`;
      rest = rest.slice(next.at + next.token.length);
    }
    return rest === '' ? xml : xml + sendText(rest, rest);
  };
  const encode = (list: readonly HtmlPart[], parent: number): string =>
    list
      .map((part) => {
        if (part.type === 'text') return encodeText(html.slice(part.start, part.end), part.value, parent);
        said.push(...(part.said ?? []));
        if (part.type === 'kept') {
          slots.push({ type: 'kept', raw: html.slice(part.start, part.end), parent, at: { start: part.start, end: part.end } });
          key = `x${slots.length - 1}`;
          return `<x i="${slots.length - 1}"/>`;
        }
        slots.push({ type: 'element', part, parent });
        const i = slots.length - 1;
        key = `o${i}`;
        const inner = encode(part.children, i);
        key = `c${i}`;
        return `<t i="${i}">${inner}</t>`;
      })
      .join('');
  const xml = encode(parts, -1) + said.map((s, n) => ` <title i="${n}">${toXmlText(s.value)}</title>`).join('');
  return {
    xml,
    markdown: true,
    restore: (answer, lang) => {
      const taken = takeSaid(answer, said);
      const english =
        taken && restoreHtml(taken.answer, html, slots, texts, (start, end) => withSaid(html, said, taken.values, start, end));
      return english && lang ? inLanguage(english, lang) : english;
    },
  };
}

/**
 * The HTML with each `lang` (and `xml:lang`) that names German set to `lang`: the text it marks is
 * translated now (an embedded post's `<p lang="de">`), and a reader or screen reader should know.
 */
function inLanguage(html: string, lang: string): string {
  return withLangValues(html, (value) => (/^de(-[A-Za-z0-9]+)*$/i.test(value) ? lang : value));
}

/** The answer without its `<title>`s and their English by index; `undefined` if one is missing, repeated or unknown. */
function takeSaid(answer: string, said: readonly HtmlSaid[]): { answer: string; values: string[] } | undefined {
  const values: string[] = [];
  let broken = false;
  const rest = answer.replace(SAID, (_all, n: string, text: string) => {
    const i = Number(n);
    if (i >= said.length || values[i] !== undefined) broken = true;
    values[i] = fromXmlText(text).replace(/\s+/g, ' ').trim();
    return '';
  });
  if (broken || values.filter((v) => v !== undefined).length !== said.length) return undefined;
  return { answer: rest, values };
}

function restoreHtml(
  answer: string,
  html: string,
  slots: readonly Slot[],
  texts: ReadonlyMap<string, SentText>,
  written: (start: number, end: number) => string,
): string | undefined {
  const out: string[] = [];
  const stack: number[] = [-1];
  const used = new Set<number>();
  let key = '^';
  let consumed = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(answer); m !== null; m = TOKEN.exec(answer)) {
    consumed = TOKEN.lastIndex;
    const [, closing, tag, index, selfClosing, text] = m;
    const parent = stack[stack.length - 1] as number;
    if (text !== undefined) {
      out.push(restoreText(text, texts.get(key)));
      continue;
    }
    if (closing) {
      if (tag !== 't' || stack.length === 1) return undefined;
      const i = stack.pop() as number;
      const slot = slots[i] as Extract<Slot, { type: 'element' }>;
      if (slot.part.close) out.push(html.slice(slot.part.close.start, slot.part.close.end));
      key = `c${i}`;
      continue;
    }
    const i = index === undefined ? -1 : Number(index);
    const slot = slots[i];
    if (!slot || used.has(i) || slot.parent !== parent) return undefined;
    used.add(i);
    if (tag === 'x' && selfClosing && slot.type === 'kept') {
      out.push(slot.at ? written(slot.at.start, slot.at.end) : slot.raw);
      key = `x${i}`;
    } else if (tag === 't' && !selfClosing && slot.type === 'element') {
      out.push(written(slot.part.open.start, slot.part.open.end));
      stack.push(i);
      key = `o${i}`;
    } else return undefined;
  }
  if (consumed !== answer.length || stack.length !== 1 || used.size !== slots.length) return undefined;
  return out.join('');
}

/**
 * A text of the answer as HTML: the source's own spelling when it came back as sent, else escaped with
 * the source's white space around it.
 */
function restoreText(xml: string, sent: SentText | undefined): string {
  if (sent && xml === sent.xml) return sent.raw;
  const value = fromXmlText(xml);
  const lead = /^\s*/.exec(value)?.[0] ?? '';
  const core = value.slice(lead.length).trimEnd();
  const trail = value.slice(lead.length + core.length);
  const sourceLead = /^\s*/.exec(sent?.raw ?? '')?.[0] ?? '';
  const sourceTrail = /\s*$/.exec(sent?.raw ?? '')?.[0] ?? '';
  if (core === '') return sent && sent.raw.trim() === '' ? sent.raw : value;
  const escaped = core.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `${lead && sourceLead ? sourceLead : lead}${escaped}${trail && sourceTrail ? sourceTrail : trail}`;
}
