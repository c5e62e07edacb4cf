// The line of each top-level key in the config's JSON text, so that messages can say `file:line`.
// JSON.parse gives no locations, and no JSON parser with locations is a dependency (jsonc-parser is not
// installed; `yaml` reads JSON only as YAML, whose rules differ at the edges): a scan over text that
// JSON.parse has already accepted is exact and short.

const COLON = /\s*:/y;

/**
 * Maps each key of the top-level object to its 1-based line (the last occurrence, as JSON.parse keeps
 * the last of duplicate keys). Expects text that JSON.parse accepts; anything else gives partial results.
 */
export function topLevelKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      // A string at depth 1 followed by a colon is a key of the top-level object (strings hold no raw line breaks in JSON).
      COLON.lastIndex = i + 1;
      if (depth === 1 && COLON.test(text)) {
        try {
          lines.set(JSON.parse(text.slice(start, i + 1)) as string, line);
        } catch {
          // Not a well-formed string: the text was not JSON; leave the key out.
        }
      }
    }
  }
  return lines;
}
