/** Characters that are not allowed in XML 1.0 documents (controls, lone surrogates, U+FFFE/F). */
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Anything `escapeXml` changes: invalid characters (any surrogate, checked properly below) and markup characters. */
const NEEDS_ESCAPE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF&<>"']/;

/** Escapes plain text for XML text and attribute values; drops characters XML cannot carry. */
export function escapeXml(text: string): string {
  // Most text has nothing to escape: one test is cheaper than two replacing passes.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(XML_INVALID, '').replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/** Escapes a string for use in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
