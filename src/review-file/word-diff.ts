/** One run of a word diff: text both versions share, or text only the old or only the new one has. */
export interface DiffPart {
  op: 'same' | 'removed' | 'added';
  text: string;
}

/** Words, single punctuation marks and runs of white space: the units a word diff compares. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu) ?? [];
}

/** Cells of the LCS table beyond which the middle of a diff is not aligned word by word. */
const MAX_CELLS = 4_000_000;

/**
 * A word diff of two texts (old → new) and their similarity: twice the characters of the shared
 * words over the characters of both (white space not counted), from 0 to 1. Common beginnings
 * and ends are matched first, so a small change in a long paragraph costs little; the rest is a
 * longest-common-subsequence alignment of words.
 */
export function wordDiff(oldText: string, newText: string): { parts: DiffPart[]; similarity: number } {
  const a = tokenize(oldText);
  const b = tokenize(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops: Array<[DiffPart['op'], string]> = [];
  for (const t of a.slice(0, head)) ops.push(['same', t]);
  ops.push(...alignMiddle(midA, midB));
  for (const t of a.slice(a.length - tail)) ops.push(['same', t]);

  let shared = 0;
  let total = 0;
  for (const [op, text] of ops) {
    if (/^\s+$/.test(text)) continue;
    const n = [...text].length;
    total += op === 'same' ? 2 * n : n;
    if (op === 'same') shared += 2 * n;
  }
  const similarity = total === 0 ? 1 : shared / total;

  return { parts: hunks(ops), similarity };
}

/**
 * Groups the token operations into runs: shared text, then for each change what was removed and
 * what was added. A shared space between two changes joins them, so "zwei Bataillone" → "drei
 * Kompanien" reads as one removal and one addition, not two of each.
 */
function hunks(ops: ReadonlyArray<[DiffPart['op'], string]>): DiffPart[] {
  const parts: DiffPart[] = [];
  const push = (op: DiffPart['op'], text: string): void => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  let k = 0;
  while (k < ops.length) {
    const [op, text] = ops[k] as [DiffPart['op'], string];
    if (op === 'same') {
      push('same', text);
      k++;
      continue;
    }
    let removed = '';
    let added = '';
    let spaceRemoved = '';
    let spaceAdded = '';
    while (k < ops.length) {
      const [o, t] = ops[k] as [DiffPart['op'], string];
      if (o === 'same') {
        const next = ops[k + 1];
        if (!/^\s+$/.test(t) || !next || next[0] === 'same') break;
        spaceRemoved = removed ? t : '';
        spaceAdded = added ? t : '';
      } else if (o === 'removed') {
        removed += spaceRemoved + t;
        spaceRemoved = '';
      } else {
        added += spaceAdded + t;
        spaceAdded = '';
      }
      k++;
    }
    push('removed', removed);
    push('added', added);
  }
  return parts;
}

function alignMiddle(a: string[], b: string[]): Array<[DiffPart['op'], string]> {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((t): [DiffPart['op'], string] => ['removed', t]), ...b.map((t): [DiffPart['op'], string] => ['added', t])];
  }
  // lcs[i][j]: LCS length of a[i..] and b[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const out: Array<[DiffPart['op'], string]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push(['same', a[i] as string]);
      i++;
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) {
      out.push(['removed', a[i++] as string]);
    } else {
      out.push(['added', b[j++] as string]);
    }
  }
  while (i < n) out.push(['removed', a[i++] as string]);
  while (j < m) out.push(['added', b[j++] as string]);
  return out;
}

/**
 * The changed words only, git word-diff style, with a few words around each change; `undefined`
 * for a text written anew (under 40 % alike), which reads better whole than as one long removal
 * and addition.
 */
export function compactDiff(before: string, after: string): string | undefined {
  const { parts, similarity } = wordDiff(before, after);
  if (similarity < 0.4) return undefined;
  // The white space around a change stays outside its marks: "soldiers {+über+}", not "soldiers{+über+}".
  const marked = (text: string, open: string, close: string): string => {
    const lead = /^\s*/.exec(text)?.[0] ?? '';
    const core = text.trim();
    return `${lead ? ' ' : ''}${open}${clip(core)}${close}${text.length > lead.length + core.length ? ' ' : ''}`;
  };
  return parts
    .map((p, i) => {
      if (p.op === 'removed') {
        const next = parts[i + 1];
        const apart = next?.op === 'added' && !/\s$/.test(p.text) && !/^\s/.test(next.text);
        return `${marked(p.text, '[-', '-]')}${apart ? ' ' : ''}`;
      }
      if (p.op === 'added') return marked(p.text, '{+', '+}');
      // Tokens alternate word, space, word: 7 tokens are 4 words.
      const words = p.text.split(/(\s+)/);
      const first = i === 0;
      const last = i === parts.length - 1;
      if (words.length <= (first || last ? 9 : 15)) return p.text;
      if (first) return `…${words.slice(-7).join('')}`;
      if (last) return `${words.slice(0, 7).join('')}…`;
      return `${words.slice(0, 7).join('')} … ${words.slice(-7).join('')}`;
    })
    .join('');
}

/** A long changed run cut in its middle. */
function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 50)} … ${text.slice(-20)}` : text;
}

/** A text on one line, cut after about 70 characters. */
export function preview(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 70 ? `${t.slice(0, 67)}…` : t;
}
