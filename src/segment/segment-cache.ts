// Each source's segmentation as the last build made it (`output/.diglot-segments.jsonl`): a rebuild segments only
// the sources that changed. By hand: no cache library knows which of a segment's fields its source gives back.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Text } from 'mdast';
import type { Segment, SegmentedDocument, SourceDocument } from '../model.js';
import { sha256 } from '../util/hash.js';
import { StagedStream } from '../write/write-atomic.js';

/** The cache's file, in the output folder. */
export const SEGMENTS_FILE = '.diglot-segments.jsonl';

/**
 * An article's segmentation as a line of the file holds it, after its path, its key and the sum of
 * this JSON (a line changed since, by hand or by a fault, is not trusted): of the document only its metadata.
 */
interface Cached {
  /** The document's metadata as segmenting left it (a `.txt` article's byline gives its author). */
  meta: SourceDocument['meta'];
  segments: Array<Partial<Segment>>;
  dropped: SegmentedDocument['dropped'];
  untranslated?: SegmentedDocument['untranslated'];
}

/** What leads each line, read without parsing the rest: the article's path, its key, and the sum of the JSON after. */
const HEAD = /^\{"path":("(?:[^"\\]|\\.)*"),"key":"([0-9a-f]{64})","sum":"([0-9a-f]{64})","data":/;

/** A line of the file, by article path. */
interface KeptLine {
  key: string;
  sum: string;
  line: string;
  /** Where the JSON of its {@link Cached} starts in the line. */
  from: number;
}

/**
 * The segmentation of each source, keyed by what it is made from: the program and the config (the
 * `seed`, see `programSeed`), the source's path, its id and its text. A source whose key differs (or whose
 * line does not read, or was changed since) is segmented again. The file is written anew, a line at a time as the sources
 * are segmented, once one of them differs from it; `settle` ends the segmenting, `save` puts the
 * file in place, `discard` drops it.
 */
export class SegmentCache {
  /** This build's lines so far while they are the file's own: written out only once one differs. */
  private held: string[] = [];
  private stream: StagedStream | undefined;

  private constructor(
    private readonly file: string,
    private readonly seed: string,
    /** The lines the file held, by article path; each taken out when its article is segmented. */
    private readonly kept: Map<string, KeptLine>,
    /** Whether the file's folder (the output folder) was there when the build began. */
    private readonly folderWasThere: boolean,
  ) {}

  /** The cache in `file` (none yet, or unreadable: empty). */
  static async open(file: string, seed: string): Promise<SegmentCache> {
    const text = await readFile(file, 'utf8').catch(() => '');
    const kept = new Map<string, KeptLine>();
    for (const line of text.split('\n')) {
      const head = HEAD.exec(line);
      if (head)
        kept.set(JSON.parse(head[1] as string) as string, {
          key: head[2] as string,
          sum: head[3] as string,
          line: `${line}\n`,
          from: head[0].length,
        });
    }
    return new SegmentCache(file, seed, kept, existsSync(path.dirname(file)));
  }

  /** The article's segmentation: kept, when made from the same program, config, path and text; else `make`'s, kept for the next build. */
  segmented(doc: SourceDocument, make: () => SegmentedDocument): SegmentedDocument {
    const key = createHash('sha256').update(`${this.seed}\n${doc.path}\n${doc.id}\n`).update(doc.text).digest('hex');
    const kept = this.kept.get(doc.path);
    this.kept.delete(doc.path);
    const restored = kept?.key === key ? restore(doc, kept) : undefined;
    if (kept && restored) {
      this.add(kept.line, false);
      return restored;
    }
    const made = make();
    this.add(line(doc, key, made), true);
    return made;
  }

  /**
   * Every source is segmented: a source gone (its line left over) makes the file differ too. The
   * file's lines are let go here, not at the end of the build (at 10,000 articles they weigh 44 MB).
   */
  settle(): void {
    if (this.kept.size > 0) this.add('', true);
    this.kept.clear();
    this.held = [];
  }

  /** Puts the file written anew in place (not flushed: a cache lost in a crash is made again). */
  async save(): Promise<void> {
    this.settle();
    const { stream } = this;
    this.stream = undefined;
    if (!stream) return;
    try {
      await stream.close();
      await rename(stream.tmp, this.file);
    } catch {
      // A full disk: the build's outputs are in place; the old file stays, and the next build segments what it lacks.
      await stream.discard();
    }
  }

  /** Drops the file written anew: the old one stays; the output folder, when this build made it, goes. */
  async discard(): Promise<void> {
    if (!this.stream) return;
    await this.stream.discard();
    this.stream = undefined;
    if (!this.folderWasThere) await rmdir(path.dirname(this.file)).catch(() => undefined);
  }

  private add(line: string, differs: boolean): void {
    if (differs && !this.stream) {
      this.stream = new StagedStream(this.file);
      for (const held of this.held) this.stream.write(held);
      this.held = [];
    }
    if (this.stream) this.stream.write(line);
    else this.held.push(line);
  }
}

/**
 * An article's line. Of each segment, what its source gives back is left out: `source` when it is the
 * raw text it spans, `key` and `plain` when they are the source, and the text of an inline tree of one text.
 */
function line(doc: SourceDocument, key: string, { doc: { meta }, segments, dropped, untranslated }: SegmentedDocument): string {
  const bare = segments.map((s) => {
    const { docId: _docId, ...rest }: Partial<Segment> = s;
    if (s.source === doc.text.slice(s.start, s.end)) delete rest.source;
    if (s.key === s.source) delete rest.key;
    if (s.plain === s.source) delete rest.plain;
    const only = oneText(s.phrasing);
    if (only?.value === s.source) {
      const { value: _value, ...position } = only;
      rest.phrasing = [position as Text];
    }
    return rest;
  });
  const cached: Cached = { meta, segments: bare, dropped, ...(untranslated ? { untranslated } : {}) };
  const data = JSON.stringify(cached);
  return `{"path":${JSON.stringify(doc.path)},"key":"${key}","sum":"${sha256(data)}","data":${data}}\n`;
}

/** The segmentation a {@link line} holds, with what was left out of it; `undefined` when the line does not read or its sum differs. */
function restore(doc: SourceDocument, { line, from, sum }: KeptLine): SegmentedDocument | undefined {
  // The line ends in `}` and its newline.
  const data = line.slice(from, -2);
  if (sha256(data) !== sum) return undefined;
  try {
    const cached = JSON.parse(data) as Cached;
    const segments = cached.segments.map((bare): Segment => {
      const segment = bare as Segment;
      segment.docId = doc.id;
      segment.source ??= doc.text.slice(segment.start, segment.end);
      const { source } = segment;
      segment.key ??= source;
      segment.plain ??= source;
      const only = oneText(segment.phrasing);
      if (only && only.value === undefined) only.value = source;
      return segment;
    });
    return {
      doc: { ...doc, meta: cached.meta },
      segments,
      dropped: cached.dropped,
      ...(cached.untranslated ? { untranslated: cached.untranslated } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The one text node an inline tree consists of, if it does. */
function oneText(phrasing: Segment['phrasing']): Text | undefined {
  const only = phrasing?.length === 1 ? phrasing[0] : undefined;
  return only?.type === 'text' ? only : undefined;
}
