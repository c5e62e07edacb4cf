// Checks of a raw HTML block's English: the markup is the German's, tag for tag as written, and the
// other checks read the text between the tags (`asText`), not the HTML.
import type { Finding, HtmlPart, HtmlSaid } from '../model.js';
import { normalise } from '../segment/normalise.js';
import { htmlParts, htmlPlain, markupOf, withLangValues } from '../text/html-parts.js';
import { finding, type CheckInput } from './check-context.js';

/**
 * The markup of an HTML block: every tag, comment and piece kept whole, as written but for its
 * `alt` and `title` values (translated) and its `lang` values (German's in the German, the English's
 * in the English: see `html-xml.ts`), sorted.
 */
function markup(html: string, parts: readonly HtmlPart[]): string[] {
  const items: string[] = [];
  const tag = (start: number, end: number, said: readonly HtmlSaid[] = []): string =>
    withLangValues(markupOf(html, said, start, end), () => '…');
  const visit = (list: readonly HtmlPart[]): void => {
    for (const part of list) {
      if (part.type === 'kept') items.push(tag(part.start, part.end, part.said));
      else if (part.type === 'element') {
        items.push(tag(part.open.start, part.open.end, part.said));
        if (part.close) items.push(html.slice(part.close.start, part.close.end));
        visit(part.children);
      }
    }
  };
  visit(parts);
  return items.sort();
}

/** An HTML block's English keeps the German's tags byte for byte (and parses as cleanly). */
export function checkHtml(input: CheckInput): Finding[] {
  const source = htmlParts(input.segment.source);
  if (!source) return [];
  const target = htmlParts(input.target);
  if (!target) return [finding(input, 'markup', 'the English is not well-formed HTML as the German is', { actual: input.target })];
  const de = markup(input.segment.source, source);
  const en = markup(input.target, target);
  if (de.join('\n') === en.join('\n')) return [];
  const missing = de.filter((item) => !en.includes(item));
  const extra = en.filter((item) => !de.includes(item));
  const detail = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `added ${extra.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return [
    finding(input, 'markup', `the HTML markup differs from the German: ${detail || 'different counts'}`, {
      actual: en.join(', '),
      expected: de.join(', '),
    }),
  ];
}

/** An HTML segment's check input as the text checks read it: German and English as the text between the tags. */
export function asText(input: CheckInput): CheckInput {
  const parts = htmlParts(input.target);
  const target = parts
    ? htmlPlain(parts)
    : input.target
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
  const { segment } = input;
  const plain = segment.plain;
  const { phrasing: _phrasing, references: _references, ...rest } = segment;
  return { ...input, target, segment: { ...rest, source: plain, key: normalise(plain), markdown: false } };
}
