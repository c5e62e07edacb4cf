/**
 * Plain data shared by the pipeline's stages. Every stage takes and returns these shapes;
 * nothing here does I/O.
 */

/**
 * A problem in the input (a source, the glossary, the memory, a review file, the config) or a
 * finding of a check: diglot's one message type, printed by `formatMessage`.
 */
export interface Message {
  /** Path relative to the project root (or as the user gave it). */
  file: string;
  /** 1-based; 0 when the message concerns the file as a whole. */
  line: number;
  column?: number;
  /**
   * What kind of problem: a check's rule (`term`, `number` …) or the input's (`source`,
   * `glossary`, `memory`, `conflict`, `review`, `config`, `tmx`).
   */
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  /** The segment it concerns, where there is one (every finding of a check). */
  segmentId?: string;
}

/** Metadata of one article, from front matter or the `.txt` date marker. */
export interface ArticleMeta {
  title?: string;
  description?: string;
  date?: string;
  author?: string;
  source?: string;
  /** Marked a draft (`draft: true`, as Hugo and Jekyll mark an article not published yet): said at the build, built like any other. */
  draft?: boolean;
}

/** One source article as read from `sources/`. */
export interface SourceDocument {
  /** File stem, used for output names (`<id>.review.md`). Safe: no path separators. */
  id: string;
  /** Path relative to the project root, e.g. `sources/000_x.txt`. */
  path: string;
  format: 'md' | 'txt';
  /** The file's text exactly as read (after UTF-8 decoding). */
  text: string;
  meta: ArticleMeta;
}

export type SegmentKind =
  | 'title'
  | 'description'
  | 'subtitle'
  | 'summary'
  | 'linkTitle'
  | 'excerpt'
  | 'heading'
  | 'paragraph'
  | 'list-item'
  | 'blockquote'
  | 'table-cell'
  | 'footnote'
  | 'html';

/**
 * A piece of a raw HTML block (see `htmlParts`), by offsets into the block's text (end exclusive):
 * a text (its `value` with entities decoded), an element (start tag, content, end tag where the
 * source writes one), or something kept whole (a comment, a doctype, a void element, and an
 * element whose content is never translated: `script`, `style`, `code`, `pre` …).
 */
export type HtmlPart =
  | { type: 'text'; start: number; end: number; value: string }
  | {
      type: 'element';
      start: number;
      end: number;
      open: { start: number; end: number };
      close?: { start: number; end: number };
      children: HtmlPart[];
      said?: HtmlSaid[];
    }
  | { type: 'kept'; start: number; end: number; said?: HtmlSaid[] };

/**
 * The value of an `alt` or `title` attribute of a tag, with words in it: text a reader meets (a
 * picture's description, a tooltip), translated too. Offsets of the value as written (within its quotes).
 */
export interface HtmlSaid {
  start: number;
  end: number;
  /** The value, its character references decoded. */
  value: string;
}

/** One translatable unit: a paragraph, heading, list-item paragraph, quote paragraph, table cell or raw HTML block. */
export interface Segment {
  /** Stable id within the article: a hash of the normalised German, suffixed for repeats. */
  id: string;
  docId: string;
  /** 0-based position in the article. */
  index: number;
  kind: SegmentKind;
  /** Heading level (1–6) for headings. */
  depth?: number;
  /**
   * The id a heading's source gives it (`## Wer darf wählen? {#wahlberechtigt}`, as Hugo, kramdown
   * and Pandoc write it): its id in the books, and kept after its English (the segment ends before it).
   */
  headingId?: string;
  /**
   * The German text to translate: inline Markdown for `.md` sources, plain text for `.txt`.
   * Lines of a multi-line paragraph are kept, without their container prefixes (`> `, list indent).
   */
  source: string;
  /** The memory key: `normalise(source)`, worked out once when the segment is made. */
  key: string;
  /**
   * Markdown sources: `source` parsed once, on its own with `references`, when the segment is
   * made: the inline content every later stage reads (codec, checks, renderers). Absent for plain
   * text and for a text that is not one run of inline content alone (a heading `1. Einleitung`).
   */
  phrasing?: import('mdast').PhrasingContent[];
  /** The protected tokens in `source` (the project's `protect` patterns), in order: never translated, checked in the English. */
  protected?: string[];
  /** Offsets of the segment's raw text in `SourceDocument.text` (end exclusive). */
  start: number;
  end: number;
  /** Container prefix that precedes each continuation line in the raw text (`> `, `   `). */
  linePrefixes: string[];
  /** How the raw text encodes `source`: inline text, a table cell, or a YAML scalar. */
  encoding: 'inline' | 'table-cell' | 'yaml' | 'toml';
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  /** Plain text (no markup), for checks, titles and the EPUB's German side. */
  plain: string;
  /** True when the source is inline Markdown (from a `.md` file), false for plain text. */
  markdown: boolean;
  /** Whether the segment is part of the article body (front matter title/description are not). */
  body: boolean;
  /**
   * Markdown sources: stand-in definitions for the article's link references and footnotes
   * (`[^1]: -`, `[label]: #`), so the segment's text parses alone as it does in its article.
   */
  references?: string;
}

/** A stretch of a raw `.txt` source removed by a cleanup rule (noise such as "Mehr zum Thema 1/"). */
export interface DroppedText {
  docId: string;
  rule: string;
  text: string;
  start: number;
  end: number;
  line: number;
  /** Index of the segment this text was cut from or sits before, to place it in the review file. */
  beforeSegment: number;
}

/** A segmented article: the document, its segments in order, and what cleanup dropped. */
export interface SegmentedDocument {
  doc: SourceDocument;
  segments: Segment[];
  dropped: DroppedText[];
  /** What of the text stays untranslated though it has words (a raw HTML block that does not parse cleanly), to warn of. */
  untranslated?: Message[];
}

export type Origin = 'human' | 'deepl' | 'tmx' | 'copy';
export type Status = 'draft' | 'reviewed' | 'approved';

/** A translated segment as the writers see it. */
export interface TranslatedSegment {
  segment: Segment;
  /** English: inline Markdown when `segment.markdown`, else plain text. `undefined` when missing. */
  target: string | undefined;
  origin: Origin | undefined;
  status: Status | undefined;
  /** Characters DeepL billed for this segment in this run (0 for memory hits). */
  billedCharacters: number;
  /** When the memory entry was last changed (ISO 8601). */
  updated?: string;
  /** Rules of the checks whose findings a reviewer accepted for this English (the memory entry's `accepted`). */
  accepted?: string[];
}

/** A finding from a check: a message at a segment, never an exception. */
export interface Finding extends Message {
  docId: string;
  segmentId: string;
  column: number;
  actual?: string;
  expected?: string;
}

/**
 * What a build tells of its findings: how many, of which rules, and the first ones in full. The
 * whole list is `findings.jsonl`: a build of 10,000 articles does not hold 100,000 findings.
 */
export interface FindingsSummary {
  count: number;
  /** How many of each rule, in the order the rules were first found. */
  byRule: Record<string, number>;
  /** The first findings, in article and segment order (as many as the command line shows). */
  first: Finding[];
  /** A build of some articles: only theirs (by id) are told; else every article's. */
  of?: string[];
}

/**
 * What a local picture file holds, by its content: a media type a book shows (EPUB 3's core types),
 * `missing` when there is no such file, `not-a-file` for a folder, a pipe or a device, `outside` when
 * a link leads out of the project, `other` when it is no PNG, JPEG, GIF or SVG picture.
 */
/**
 * A picture's type, by its content; `svg-unfit`: an SVG no EPUB may hold (a script, an event
 * handler, a remote or external reference, no SVG namespace).
 */
export type PictureType =
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'image/svg+xml'
  | 'svg-unfit'
  | 'missing'
  | 'not-a-file'
  | 'outside'
  | 'other';

/** A picture an edition's chapter shows: the source's file (relative to the root), its name in the book, its media type. */
export interface EditionImage {
  file: string;
  href: string;
  mediaType: string;
}

/** One article of an edition, its chapter's content already rendered for each book. */
export interface EditionArticle {
  id: string;
  titleDe: string;
  titleEn: string;
  date?: string;
  author?: string;
  source?: string;
  /** The front matter's `description` (the teaser), plain text: German, and English when translated. */
  descriptionDe?: string;
  descriptionEn?: string;
  /** The chapter's content as XHTML elements: German and English (any layout), and English only. */
  bilingual: string;
  english: string;
  /** The local pictures the chapter shows, to be packed into the books. */
  images: EditionImage[];
}

/** Everything the EPUB writer needs, already escaped where it says so. */
export interface Edition {
  /** Plain text (not escaped). */
  title: string;
  /** Plain text, e.g. "German–English edition". */
  subtitle?: string;
  /** Subtitle of the English-only edition (plain text); `subtitle` when absent. */
  englishSubtitle?: string;
  sourceLang: string;
  /** BCP 47, e.g. `en-US`. */
  targetLang: string;
  /** The edition's identifier (stable as its texts change), e.g. `urn:uuid:…` */
  identifier: string;
  /** The books' authors or editors, as the config names them (plain text). */
  authors?: string[];
  /** The books' publisher (plain text). */
  publisher?: string;
  /** ISO 8601 UTC without milliseconds, e.g. `2024-05-01T00:00:00Z`: fixed, so builds are byte-identical. */
  modified: string;
  /** Plain text line on how it was translated (memory, people, DeepL, how much reviewed). */
  translationNote: string;
  articles: EditionArticle[];
  /** Glossary terms used, for the colophon. */
  glossary: Array<{ de: string; en: string }>;
  /** The volume this book is, when the config splits the edition (`volumes`); absent for the one book. */
  volume?: Volume;
}

/** One volume of an edition split by the config's `volumes`: a book pair of its own. */
export interface Volume {
  /** In file names and identifiers: `vol-02`, `2024-05`, `2024`, `undated`. */
  key: string;
  /** On the title page: "Volume 2", "May 2024", "2024", "Undated". */
  label: string;
  /** 1-based place among the volumes, and how many there are. */
  position: number;
  of: number;
  /** How many of the build's articles (complete or not) belong to it. */
  articles: number;
}

/** Which volume each article of a build belongs to, and the volumes in order. */
export interface VolumePlan {
  volumes: Volume[];
  /** Index into `volumes`, by article id. */
  byArticle: Map<string, number>;
}

/** An article with every segment's translation state. */
export interface TranslatedArticle {
  article: SegmentedDocument;
  segments: TranslatedSegment[];
}
