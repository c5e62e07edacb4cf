// The line of every key and list item in the config's JSON text, by its path (`deepl.customInstructions[2]`),
// so that messages can say `file:line` for nested keys too. JSON.parse gives no locations; jsonc-parser
// does, but its UMD entry (`require('./impl/format')`) breaks in the bundled command. A walk over text
// that JSON.parse has already accepted is exact and short.

/**
 * Maps each key path of a JSON text to the 1-based line where it starts: an object's key as
 * `parent.key` (a top-level key as `key`), a list item as `parent[i]` at the line of its value.
 * The last of duplicate keys wins, as with JSON.parse. Expects text that JSON.parse accepts;
 * anything else gives partial results.
 */
export function keyPathLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const string = (): string => {
    const start = i;
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '';
    }
  };
  const value = (path: string, depth: number): void => {
    space();
    if (depth > 64 || i >= text.length) return;
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        space();
        if (text[i] !== '"') break;
        const keyLine = line;
        const key = string();
        const child = path === '' ? key : `${path}.${key}`;
        lines.set(child, keyLine);
        space();
        if (text[i] === ':') i++;
        value(child, depth + 1);
        space();
        if (text[i] !== ',') break;
        i++;
      }
      if (text[i] === '}') i++;
    } else if (c === '[') {
      i++;
      for (let n = 0; ; n++) {
        space();
        if (text[i] === ']' || i >= text.length) break;
        const child = `${path}[${n}]`;
        lines.set(child, line);
        value(child, depth + 1);
        space();
        if (text[i] !== ',') break;
        i++;
      }
      if (text[i] === ']') i++;
    } else if (c === '"') {
      string();
    } else {
      // A number, true, false or null: no line breaks inside.
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    }
  };
  value('', 0);
  return lines;
}

/** The line of `key`, or of its nearest enclosing key the text names (`cleanup[2].pattern` → `cleanup[2]` → `cleanup`). */
export function lineOfKey(lines: ReadonlyMap<string, number>, key: string): number | undefined {
  for (let path = key; path !== ''; path = path.replace(/(?:\.[^.[]*|\[\d+\])$/, '')) {
    const line = lines.get(path);
    if (line !== undefined) return line;
    if (!/[.[]/.test(path)) break;
  }
  return undefined;
}
