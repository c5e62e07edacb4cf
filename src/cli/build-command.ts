import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Finding, FindingsSummary } from '../model.js';
import { build } from '../pipeline.js';
import { readFindings } from '../render/report.js';
import { type DiglotError, EXIT, InputError, type ExitCode } from '../util/errors.js';
import { projectConfig, type CommandContext } from './context.js';
import { engineFromEnv } from './engine-from-env.js';
import { whileInterruptible } from './interruptible.js';
import { whatToOpen } from './open-command.js';
import { commonHelp, maxCharactersOption, parseCommandArgs } from './parse-command-args.js';
import { watchBuild } from './watch-build.js';
import { formatFindings } from './print-findings.js';
import { counted, formatCount } from '../util/format-count.js';

export const BUILD_HELP = `Usage: diglot build [ARTICLE…] [options]

Reads sources/, translates what the translation memory lacks (DeepL, when DEEPL_AUTH_KEY is set),
and writes to output/: <article>.review.md, <article>.en.md, edition.epub, edition.en.epub
(a pair a volume with "volumes" in the config), review.html (the index) and review/<article>.html,
report.json, findings.jsonl and segments.jsonl. Without a key the memory alone serves; segments
it lacks are listed.
A review file holding edits not yet imported (\`diglot review import\`) is never overwritten:
the build stops with exit 2 and writes nothing, unless --force. An article whose source, English,
place and files are as the last build left them is not rendered again (output/.parts/ keeps what
it needs); a change to the glossary or the config renders every article, and so does --force.
When no input and no output changed since a build that sent nothing, the build does nothing.

ARTICLE (a source file such as sources/x.md, its review file output/x.review.md, or its id x)
builds only those articles: only their texts are translated and only their review files and
English Markdown written; the books, the review pages and report.json still hold every article, the
others from the memory as it is (the books only those whole in English). Other articles' gaps
are a warning naming the articles the books leave out, not exit 1.

Options:
  --layout <interleaved|facing>  layout of the bilingual EPUB (default: from diglot.config.json)
  --max-characters <n>           stop before DeepL bills more than n characters in this run
  --strict                       exit 1 when any check finds something (terms, numbers, …)
  --force                        overwrite review files even if they hold edits not imported
                                 (a copy of each is kept in the output folder's .overwritten/),
                                 and render every article again
  --watch                        build, then build again whenever a source, a review file, the
                                 glossary, the memory or the config changes (edited review files
                                 are imported first, as by \`diglot review import\`); Ctrl-C stops
${commonHelp(32)}

Environment:
  DEEPL_AUTH_KEY     DeepL API key (never printed)
  DEEPL_SERVER_URL   DeepL-compatible server to use instead of DeepL's
  DIGLOT_RETRIES, DIGLOT_RETRY_MS, DIGLOT_TIMEOUT_MS
                     retries of a failed request (4), the first back-off (1000 ms),
                     how long a request may take (30000 ms)
`;

/** `diglot build`. */
export async function buildCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('build', ctx.args, {
    layout: { type: 'string' },
    'max-characters': { type: 'string' },
    strict: { type: 'boolean' },
    force: { type: 'boolean' },
    watch: { type: 'boolean' },
  });
  if (values.help) {
    ctx.stdout(BUILD_HELP);
    return EXIT.ok;
  }
  if (values.watch && values.json) throw new InputError('build: --watch prints a line per build and cannot be combined with --json');
  const config = await projectConfig(values.root, ctx);
  if (values.layout !== undefined) {
    if (values.layout !== 'interleaved' && values.layout !== 'facing')
      throw new InputError(`build: --layout must be "interleaved" or "facing" (got "${values.layout}")`);
    config.layout = values.layout;
  }
  const maxCharacters = maxCharactersOption(values['max-characters'], 'build');
  const only = positionals.length > 0 ? { only: positionals, cwd: ctx.cwd } : {};
  if (values.watch) {
    return watchBuild(ctx, config, {
      ...only,
      layout: values.layout,
      strict: values.strict === true,
      force: values.force === true,
      ...(maxCharacters !== undefined ? { maxCharacters } : {}),
    });
  }
  const engine = await engineFromEnv(config, ctx.log);
  if (!engine) ctx.log.info('No DEEPL_AUTH_KEY: using the translation memory only.');
  const result = await whileInterruptible(ctx, (signal) =>
    build(config, {
      engine,
      log: ctx.log,
      strict: values.strict === true,
      force: values.force === true,
      signal,
      ...(maxCharacters !== undefined ? { maxCharacters } : {}),
      ...only,
    }),
  );
  const t = result.totals;
  if (values.json) {
    const json = {
      exitCode: result.exitCode,
      totals: t,
      written: result.written,
      kept: result.kept,
      upToDate: result.upToDate !== undefined,
      missing: result.missing.map(({ file, segment }) => ({ file, id: segment.id, line: segment.line })),
      // As every command's failure is given (`DiglotError.toJSON`).
      error: result.error?.toJSON() ?? null,
      ...(result.others ? { others: result.others } : {}),
      ...(result.overwritten ? { overwritten: result.overwritten } : {}),
    };
    await printJsonWithList(ctx.stdout, json, 'findings', toldFindings(config, result.findings));
  }
  const failed = t.failedRequests ? `, ${t.failedRequests} ${t.failedRequests === 1 ? 'request' : 'requests'} failed` : '';
  const others = result.others ? ` (of ${t.articles + result.others.articles})` : '';
  // A text repeated within the run is sent once: its other segments are neither from the memory nor billed again.
  const repeats = t.translated - t.textsTranslated;
  const texts =
    repeats > 0
      ? ` (${t.textsTranslated} ${t.textsTranslated === 1 ? 'text' : 'texts'}, ${repeats} ${repeats === 1 ? 'segment repeats one' : 'segments repeat one'} of this run)`
      : '';
  ctx.log.info(
    `${counted(t.articles, 'article')}${others}, ${counted(t.segments, 'segment')}: ${formatCount(t.fromMemory)} from the memory, ` +
      (t.copied ? `${formatCount(t.copied)} copied (no words), ` : '') +
      `${formatCount(t.translated)} translated by DeepL${texts} in ${counted(t.requests, 'request')} ` +
      `(${formatCount(t.billedCharacters)} characters billed)${failed}, ${formatCount(t.missing)} missing.`,
  );
  const kept =
    result.kept > 0
      ? `; ${result.kept} unchanged ${result.kept === 1 ? 'article' : 'articles'} kept as ${result.kept === 1 ? 'it was' : 'they were'}`
      : '';
  if (result.upToDate) ctx.log.info(`Nothing changed since the last build: ${config.output}/ is up to date.`);
  else ctx.log.info(`Wrote ${counted(result.written.length, 'file')} to ${config.output}/${kept}.`);
  const summary = formatFindings(result.findings);
  if (summary) ctx.log.warn(summary);
  else ctx.log.info('Checks: no findings.');
  if (values.strict && result.findings.count > 0) ctx.log.error(`--strict: ${counted(result.findings.count, 'finding')}`);
  if (result.missing.length > 0) {
    const shown = result.missing.slice(0, 20).map(({ file, segment }) => {
      const words = segment.plain.split(/\s+/);
      // Named as the review file names the pair: its kind and id.
      const first = words.slice(0, 8).join(' ');
      // A first word of thousands of letters (a base64 string) is cut too.
      const shown = first.length > 80 ? `${first.slice(0, 80)} …` : `${first}${words.length > 8 ? ' …' : ''}`;
      return `  ${file}:${segment.line}: ${segment.kind.replace('-', ' ')} [${segment.id}]: "${shown}"`;
    });
    const more = result.missing.length > 20 ? `\n  … and ${result.missing.length - 20} more (see segments.jsonl)` : '';
    const one = result.missing.length === 1;
    const gap = whyMissing(engine !== undefined, result.error);
    const cause =
      gap.because === undefined ? 'and no DeepL key is set' : `and ${one ? 'was' : 'were'} not translated because ${gap.because}`;
    ctx.log.error(
      `${result.missing.length} segment${one ? ' has' : 's have'} no translation in the memory ${cause}:\n${shown.join('\n')}${more}\n` +
        'Their review files were written with the gaps marked; English outputs and EPUBs include only complete articles.\n' +
        `${gap.next}, or import translations with \`diglot memory import --tmx FILE\`.`,
    );
  }
  if (result.others && result.others.missing > 0) {
    const { missing: n, incomplete } = result.others;
    const shown = incomplete.slice(0, 20).map((file) => `  ${file}`);
    if (incomplete.length > 20) shown.push(`  … and ${incomplete.length - 20} more`);
    ctx.log.warn(
      `${n} segment${n === 1 ? '' : 's'} of articles not built this time ${n === 1 ? 'has' : 'have'} no translation yet, ` +
        `so the books leave ${incomplete.length === 1 ? 'its article' : `these ${incomplete.length} articles`} out ` +
        `until \`diglot build\` translates ${n === 1 ? 'it' : 'them'}:\n${shown.join('\n')}`,
    );
  }
  if (result.error) {
    ctx.log.error(result.error.message + (result.error.hint ? `\n  hint: ${result.error.hint}` : ''));
  }
  for (const line of whatToOpen(config, result.upToDate ?? result.written)) ctx.log.info(line);
  return result.exitCode;
}

/**
 * Prints `head` as indented JSON with `key` added last: its list one item a line, written in
 * pieces of about 64 KiB. A build's findings run to 100 MB of JSON at 10,000 articles: as one
 * string (two bytes a character, then copied for the write) they would set the build's peak memory.
 */
async function printJsonWithList(write: (text: string) => void, head: object, key: string, items: AsyncIterable<unknown>): Promise<void> {
  const open = JSON.stringify(head, null, 2).replace(/\n?\}$/, '');
  let piece = `${open}${open.endsWith('{') ? '' : ','}\n  ${JSON.stringify(key)}: [`;
  let first = true;
  for await (const item of items) {
    piece += `${first ? '' : ','}\n    ${JSON.stringify(item)}`;
    first = false;
    if (piece.length >= 64 * 1024) {
      write(piece);
      piece = '';
    }
  }
  write(`${piece}${first ? '' : '\n  '}]\n}\n`);
}

/**
 * The findings a build told of, in full: read back from the `findings.jsonl` it wrote (those of
 * the articles built), the build holding only the first few.
 */
async function* toldFindings(config: Config, told: FindingsSummary): AsyncIterable<Finding> {
  if (told.count === told.first.length) {
    yield* told.first;
    return;
  }
  const of = told.of && new Set(told.of);
  for await (const f of readFindings(path.join(config.root, config.output, 'findings.jsonl')))
    if (of === undefined || of.has(f.docId)) yield f;
}

/**
 * Why segments are left without a translation, and what to do, for the gap list: no key, or with a
 * key what stopped DeepL (told by the error's exit code; an unreachable server from a failing one by
 * the wording src/translate/deepl.ts gives a connection failure). A key that is set is never
 * suggested again.
 */
function whyMissing(keySet: boolean, error: DiglotError | undefined): { because: string | undefined; next: string } {
  const again = 'Run `diglot build` again';
  if (!keySet) return { because: undefined, next: 'Set DEEPL_AUTH_KEY to translate them' };
  switch (error?.exitCode) {
    case EXIT.auth:
      return {
        because: 'DeepL rejected the key in DEEPL_AUTH_KEY (HTTP 403)',
        next: 'Check DEEPL_AUTH_KEY (and DEEPL_SERVER_URL), then run `diglot build` again',
      };
    case EXIT.quota:
      return {
        because: 'the DeepL quota is exceeded (HTTP 456)',
        next: `${again} once the account has characters left (\`diglot estimate\` shows its usage)`,
      };
    case EXIT.network:
      return error?.message.startsWith('cannot reach DeepL')
        ? { because: 'DeepL could not be reached', next: `${again} once DeepL can be reached` }
        : { because: 'the requests to DeepL failed', next: `${again} once DeepL answers` };
    case EXIT.interrupted:
      return { because: 'the build was interrupted', next: `${again} to translate them` };
    case EXIT.failed:
      return { because: '--max-characters was reached', next: `${again} to translate them (with a higher --max-characters, or none)` };
    default:
      return {
        because: error ? `the build stopped: ${error.message}` : 'DeepL returned no translation for them',
        next: `${again} to translate them`,
      };
  }
}
