// The review index's search data (`output/review/search.js`): for each glossary term and each word of
// the German and the English (lowercased), the articles holding it, as delta-coded lists.
import { termForms, type GlossaryTerm } from '../glossary/glossary.js';
import type { TranslatedArticle } from '../model.js';

/** A word: letters and digits, two or more. */
const WORD = /[\p{L}\p{N}]{2,}/gu;

/** Below this many articles no word is too common to be listed. */
const COMMON_FROM = 20;

/** The data `search.js` defines as `window.diglotSearch`. */
export interface SearchData {
  articles: number;
  /** The listed words, sorted (code-unit order), separated by spaces. */
  words: string;
  /** For each listed word, its articles (indices into the index's list): the first in base 36, then the gaps; lists separated by spaces. */
  postings: string;
  /**
   * Words in more than half the articles (from 20 articles on), sorted: their lists would be long,
   * so each has the shorter list of the articles without it.
   */
  common: string;
  /** For each common word, the articles that do not hold it (coded as `postings`; empty when every article does). */
  without: string;
  /** Each glossary term found: German, English, its articles (coded as `postings`), its other German forms separated by `|`. */
  terms: Array<[string, string, string, string]>;
}

/** The distinct words of an article's German and English, lowercased: what the search finds it by. */
export function searchWords(a: TranslatedArticle): Set<string> {
  const seen = new Set<string>();
  for (const t of a.segments)
    for (const text of [t.segment.plain, t.target ?? '']) for (const m of text.toLowerCase().matchAll(WORD)) seen.add(m[0]);
  return seen;
}

/**
 * Gathers the search data article by article (in the index's order): per article only which words
 * and terms it holds, nothing of its text.
 */
export class SearchIndex {
  private readonly words = new Map<string, number[]>();
  private readonly terms = new Map<GlossaryTerm, number[]>();
  private articles = 0;

  /**
   * Adds the next article; `terms` are the glossary terms the checks found in its German, `words`
   * its {@link searchWords} when they are known already.
   */
  add(a: TranslatedArticle, terms: ReadonlySet<GlossaryTerm>, words: Iterable<string> = searchWords(a)): void {
    const n = this.articles++;
    for (const w of words) {
      const list = this.words.get(w);
      if (list) list.push(n);
      else this.words.set(w, [n]);
    }
    for (const term of terms) {
      const list = this.terms.get(term);
      if (list) list.push(n);
      else this.terms.set(term, [n]);
    }
  }

  /** The data, as `search.js` holds it. */
  data(): SearchData {
    const words: string[] = [];
    const postings: string[] = [];
    const common: string[] = [];
    const without: string[] = [];
    for (const w of [...this.words.keys()].sort()) {
      const list = this.words.get(w) as number[];
      if (this.articles >= COMMON_FROM && list.length * 2 > this.articles) {
        common.push(w);
        const holding = new Set(list);
        without.push(encode(Array.from({ length: this.articles }, (_, n) => n).filter((n) => !holding.has(n))));
      } else {
        words.push(w);
        postings.push(encode(list));
      }
    }
    const terms = [...this.terms]
      .sort(([a], [b]) => a.german.localeCompare(b.german, 'de'))
      .map(([t, list]): [string, string, string, string] => [
        t.german,
        t.english,
        encode(list),
        termForms(t)
          .slice(1)
          .map((f) => f.de)
          .join('|'),
      ]);
    return {
      articles: this.articles,
      words: words.join(' '),
      postings: postings.join(' '),
      common: common.join(' '),
      without: without.join(' '),
      terms,
    };
  }

  /** `search.js`: a script defining the data (a script, not JSON: pages opened from file:// may load scripts but not fetch files). */
  script(): string {
    return `// diglot: the review index's search data (words and glossary terms, by article).\nwindow.diglotSearch = ${JSON.stringify(this.data())};\n`;
  }
}

/** Ascending article indices: the first in base 36, then the gaps, separated by commas. */
function encode(list: readonly number[]): string {
  return list.map((n, i) => (i === 0 ? n : n - (list[i - 1] as number)).toString(36)).join(',');
}
