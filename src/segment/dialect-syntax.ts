// Syntax of Markdown dialects that CommonMark reads as text of a paragraph: no text to translate, kept on
// its own lines in the English Markdown and not shown in the books. GitHub's and Obsidian's alerts, Pandoc's
// fenced divs, kramdown's attribute lists; no parser of the unified ecosystem reads them all.

/** A quote's alert or callout marker, with the line end and the next line's quote marks after it when it stands alone. */
export const ALERT = /^\[![A-Za-z][\w-]*\][+-]?[ \t]*(?:\r?\n[ \t>]*)?/;

/**
 * The line that opens a Pandoc fenced div (`::: {.hinweis}`, `:::: warning`) or gives kramdown attributes
 * to the paragraph after it (`{: .intro}`), with the next line's prefix.
 */
export const DIV_OPEN = /^(?::{3,}[^\n]*|\{:[^}\n]*\}[ \t]*)(?:\r?\n[ \t>]*|$)/;

/** Lines that close a fenced div (`:::`) or give kramdown attributes (`{: .lead}`) at a paragraph's end. */
export const TRAILER = /(?:\r?\n[ \t>]*(?::{3,}|\{:[^}\n]*\})[ \t]*)+$/;

/**
 * Whether a paragraph's text is such syntax alone: an attribute list (after a heading or a table), a
 * div's fence, an alert marker.
 */
export function onlySyntax(text: string): boolean {
  const trimmed = text.trim();
  return [ALERT, DIV_OPEN].some((syntax) => syntax.exec(trimmed)?.[0].length === trimmed.length);
}
