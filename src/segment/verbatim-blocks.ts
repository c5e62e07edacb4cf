// Code and math that CommonMark reads as paragraphs but a site generator or a math renderer reads as
// blocks: kept as written, never sent (no Markdown parser of the ecosystem knows Liquid's or Hugo's tags).

/**
 * Jekyll's and Hugo's highlighted code (`{% highlight ruby %}` … `{% endhighlight %}`,
 * `{{< highlight go >}}` … `{{< /highlight >}}`) and display math (`$$` … `$$`), each from the line
 * it opens on (in a quote too) to its close, across blank lines.
 */
const VERBATIM = [
  /^[ \t>]*\{%-?[ \t]*highlight\b[^\n]*?%\}[\s\S]*?\{%-?[ \t]*endhighlight[ \t]*-?%\}/gm,
  /^[ \t>]*\{\{([<%])[ \t]*highlight\b[^\n]*?[>%]\}\}[\s\S]*?\{\{\1[ \t]*\/highlight[ \t]*[>%]\}\}/gm,
  /^[ \t>]*\$\$[\s\S]*?\$\$[ \t]*$/gm,
];

/** Where a text holds such blocks: offsets, end exclusive, in text order. */
export function verbatimBlocks(text: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (const pattern of VERBATIM) for (const m of text.matchAll(pattern)) found.push([m.index, m.index + m[0].length]);
  return found.sort((a, b) => a[0] - b[0]);
}
