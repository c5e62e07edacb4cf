// Which volume each article of a build belongs to, when the config's `volumes` splits the edition:
// so many articles a volume in source order, or one volume a month or a year by the articles' dates.
import type { VolumesSetting } from '../config/config.js';
import type { Volume, VolumePlan } from '../model.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The key of the volume of articles without a usable date, placed last. */
export const UNDATED = 'undated';

/**
 * The volumes of `articles` (every article of the build, in source order, complete or not). By
 * count: volume k holds the source articles k·N+1 to (k+1)·N, numbered `vol-01`… (two digits at
 * least). By date: one volume per month (`2024-05`) or year (`2024`) of the article's date (front
 * matter `date` or the `.txt` date marker, read from its start: `2024-05-03`, `2024-05`), in date
 * order; an article without such a date (by month: without a month) goes into the volume `undated`,
 * last. A volume holds at least one article.
 */
export function planVolumes(articles: ReadonlyArray<{ id: string; date?: string | undefined }>, setting: VolumesSetting): VolumePlan {
  const keys = articles.map((a, i) => ('articles' in setting ? Math.floor(i / setting.articles) : dateKey(a.date, setting.by)));
  const order =
    'articles' in setting
      ? [...new Set(keys as number[])]
      : [...new Set(keys as string[])].sort((a, b) => (a === UNDATED ? 1 : b === UNDATED ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(2, String(order.length).length);
  const index = new Map<number | string, number>(order.map((k, i) => [k, i]));
  const volumes: Volume[] = order.map((k, i) => {
    const key = typeof k === 'number' ? `vol-${String(k + 1).padStart(width, '0')}` : k;
    return { key, label: typeof k === 'number' ? `Volume ${k + 1}` : dateLabel(k), position: i + 1, of: order.length, articles: 0 };
  });
  const byArticle = new Map<string, number>();
  articles.forEach((a, i) => {
    const v = index.get(keys[i] as number | string) as number;
    byArticle.set(a.id, v);
    (volumes[v] as Volume).articles++;
  });
  return { volumes, byArticle };
}

/** `2024-05` or `2024` from a date that starts with an ISO year (and month); `undated` otherwise. */
function dateKey(date: string | undefined, by: 'month' | 'year'): string {
  const match = /^\s*(\d{4})(?:-(0[1-9]|1[0-2])(?!\d))?/.exec(date ?? '');
  if (!match) return UNDATED;
  if (by === 'year') return match[1] as string;
  return match[2] === undefined ? UNDATED : `${match[1]}-${match[2]}`;
}

/** "May 2024", "2024", "Undated". */
function dateLabel(key: string): string {
  if (key === UNDATED) return 'Undated';
  const [year, month] = key.split('-');
  return month === undefined ? (year as string) : `${MONTHS[Number(month) - 1]} ${year}`;
}
