// What a picture beside the sources is by its first bytes, not its name (a JPEG saved as .png breaks a book).
// By hand: four formats known by a few bytes; file-type, the kept library for this, is async and knows no SVG.
import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PictureType } from '../model.js';

/** How much of a file is read to tell: an SVG may open with an XML declaration, a doctype and comments. */
const HEAD = 4096;

/**
 * The types of the pictures under `root`, by path relative to it: each file read once (the checks,
 * the fingerprints and the chapters all ask), so one build sees one answer per picture.
 */
export function pictureTypes(root: string): (file: string) => PictureType {
  const known = new Map<string, PictureType>();
  let realRoot: string | undefined;
  return (file) => {
    let type = known.get(file);
    if (type === undefined) {
      realRoot ??= realpathSync(root);
      type = pictureTypeOf(root, realRoot, file);
      known.set(file, type);
    }
    return type;
  };
}

/**
 * The type of the picture at `file` under `root` (`realRoot`: the root with its links resolved).
 * Only a regular file inside the project is opened: a pipe would block the build for good (and
 * Ctrl-C with it), and a link out of the project would put a file of elsewhere into the books.
 */
function pictureTypeOf(root: string, realRoot: string, file: string): PictureType {
  const at = path.join(root, file);
  let fd: number;
  try {
    if (!statSync(at).isFile()) return 'not-a-file';
    if (path.relative(realRoot, realpathSync(at)).startsWith('..')) return 'outside';
    fd = openSync(at, 'r');
  } catch {
    return 'missing';
  }
  try {
    const head = Buffer.alloc(HEAD);
    const type = pictureType(head.subarray(0, readSync(fd, head, 0, HEAD, 0)));
    // An SVG is read whole: what keeps it out of a book may stand anywhere in it.
    return type === 'image/svg+xml' && !fitForBook(readFileSync(fd, 'utf8')) ? 'svg-unfit' : type;
  } catch {
    return 'missing';
  } finally {
    closeSync(fd);
  }
}

/** The type of a picture, from the first bytes of its file. */
export function pictureType(head: Buffer): PictureType {
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  const text = head.toString('latin1');
  if (text.startsWith('GIF87a') || text.startsWith('GIF89a')) return 'image/gif';
  // An XML document whose first element is <svg>: after a byte order mark, a declaration, a doctype and comments.
  const svg = /^(?:\u00ef\u00bb\u00bf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<svg[\s>]/;
  return svg.test(text) ? 'image/svg+xml' : 'other';
}

/** A document type declaration, which EPUB forbids external identifiers in (Illustrator's and Inkscape's SVG 1.1). */
const DOCTYPE = /<!DOCTYPE[^>[]*>/i;

/**
 * Whether an SVG may go into an EPUB once its document type declaration is taken out (see
 * {@link bookSvg}): no script, event handler or reference to another file (a book holds no remote
 * resources, and packs only the picture itself), no entity declarations, and the SVG namespace on its root.
 */
function fitForBook(svg: string): boolean {
  const unfit = [
    /<script[\s>]/i,
    /<[a-z][\w:.-]*\s[^>]*\son[a-z]+\s*=/i,
    // A reference to anything but a part of itself or data it holds: a file on the web, or beside it (not packed).
    /\bhref\s*=\s*["']\s*(?!#|data:)[^"'\s]/i,
    /url\(\s*["']?\s*(?:https?:|\/\/)/i,
    /<!DOCTYPE[^>[]*\[|<!ENTITY/i,
  ];
  return !unfit.some((pattern) => pattern.test(svg)) && /<svg\b[^>]*\sxmlns\s*=\s*["']http:\/\/www\.w3\.org\/2000\/svg["']/.test(svg);
}

/** What a book packs of an SVG fit for it: the file without its document type declaration; any other picture as it is. */
export function bookSvg(bytes: Buffer): Buffer {
  const text = bytes.toString('utf8');
  return DOCTYPE.test(text) ? Buffer.from(text.replace(DOCTYPE, '')) : bytes;
}
