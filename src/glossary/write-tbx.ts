// Writes the glossary as a TBX-Basic termbase (TBX 2, root `martif`), the dialect OmegaT, Trados
// MultiTerm and memoQ all import; `readTbx` reads it back to the same rows.
import { XMLBuilder } from 'fast-xml-parser';
import type { Glossary } from './glossary.js';

/** What the header of the termbase says. */
export interface TbxHeader {
  title: string;
  /** The glossary file it was made from, for the source description. */
  source: string;
  /** The English of the edition (`en-US`, `en-GB`): the English `langSet`'s language. */
  targetLang: string;
}

/**
 * One `termEntry` per term: a `note` with the term's note; a German `langSet` with the term
 * (`administrativeStatus` preferred) and each form (admitted) in the file's order; an English
 * `langSet` with the term's English (preferred) and every other English a form takes (admitted),
 * each with an id that the form's `ref type="crossReference"` points to. A tool that does not
 * follow the references sees the forms as German synonyms of the English term, which is what
 * they are for matching.
 */
export function writeTbx(glossary: Glossary, header: TbxHeader): string {
  const el = (name: string, content: Node[] | string, attributes?: Record<string, string>): Node => ({
    [name]: typeof content === 'string' ? [{ '#text': content }] : content,
    ...(attributes ? { ':@': attributes } : {}),
  });
  const status = (preferred: boolean): Node =>
    el('termNote', preferred ? 'preferredTerm-admn-sts' : 'admittedTerm-admn-sts', { type: 'administrativeStatus' });
  const entries = glossary.terms.map((term, index) => {
    const id = `c${index + 1}`;
    const englishIds = new Map<string, string>([[term.english, `${id}-en1`]]);
    for (const form of term.forms) if (!englishIds.has(form.en)) englishIds.set(form.en, `${id}-en${englishIds.size + 1}`);
    const german = [
      el('tig', [el('term', term.german), status(true)], { id: `${id}-de1` }),
      ...term.forms.map((form, i) =>
        el(
          'tig',
          [
            el('term', form.de),
            status(false),
            ...(form.en === term.english ? [] : [el('ref', form.en, { type: 'crossReference', target: englishIds.get(form.en) ?? '' })]),
          ],
          { id: `${id}-de${i + 2}` },
        ),
      ),
    ];
    const english = [...englishIds].map(([en, enId]) => el('tig', [el('term', en), status(en === term.english)], { id: enId }));
    return el(
      'termEntry',
      [
        // A note with line breaks or runs of spaces says so, or a reader takes them for a pretty-printed file's.
        ...(term.note === ''
          ? []
          : [/^\S+(?: \S+)*$/.test(term.note) ? el('note', term.note) : el('note', term.note, { 'xml:space': 'preserve' })]),
        el('langSet', german, { 'xml:lang': 'de' }),
        el('langSet', english, { 'xml:lang': header.targetLang }),
      ],
      { id },
    );
  });
  const martif = el(
    'martif',
    [
      el('martifHeader', [
        el('fileDesc', [
          el('titleStmt', [el('title', header.title)]),
          el('sourceDesc', [el('p', `Exported by diglot from ${header.source}`)]),
        ]),
        el('encodingDesc', [el('p', 'TBXBasicXCSV02.xcs', { type: 'XCSURI' })]),
      ]),
      el('text', [el('body', entries)]),
    ],
    { type: 'TBX-Basic', 'xml:lang': 'de' },
  );
  const builder = new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
  });
  const xml = (builder.build([martif]) as string).replace(/^\n+/, '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n${xml.endsWith('\n') ? xml : `${xml}\n`}`;
}

/** A node in fast-xml-parser's `preserveOrder` shape. */
type Node = Record<string, unknown>;
