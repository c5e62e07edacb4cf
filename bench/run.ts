/**
 * `npm run bench`: diglot against the naive approach (one paragraph per request, one request after
 * another, as bilingual_book_maker, the calibre plugin and OmegaT's connector do), on a synthetic
 * corpus, against the DeepL-compatible test server with latency, a per-KiB cost and a concurrency
 * cap. Writes the results to BENCHMARKS.md.
 *
 *   node --import tsx bench/run.ts [--articles 1000] [--segments 15] [--baseline-articles 100]
 *     [--latency 20] [--per-kb 1] [--cap 4] [--also-latency 100] [--no-double] [--seed 1] [--out BENCHMARKS.md]
 *
 * diglot runs as its compiled CLI (`dist/cli/main.js build --json`) in a child process, so its peak
 * RSS is its own, started and timed by bench/launcher.mjs, a small process (forking from this one
 * would cost each run more than a shell does); the server and the baseline run in this process. Everything the benchmark
 * compares against (unique characters, the minimum number of requests) it works out from the
 * corpus it generated, not from diglot's code.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as deepl from 'deepl-node';
import { loadConfig } from '../src/config/load-config.js';
import { startDeepLServer, type DeepLServer } from '../test/deepl-server.js';
import { termForms } from '../src/glossary/glossary.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { CorpusGenerator, samplePool, writeArticles, type BenchArticle, type SamplePool } from './corpus.js';
import { generateTerms, glossaryCsv } from './glossary-terms.js';
import { timeReviewPages } from './review-timing.js';
import { findSection, outputSizes, SCALE_HEADING, scaleSection, spliceSection, type ScaleRow } from './scale.js';
import { checkVolumes, EPUBCHECK_JAR, haveEpubcheck, type VolumeCheck } from './volume-check.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const MEASURE = path.join(ROOT, 'bench', 'measure.mjs');
const LAUNCHER = path.join(ROOT, 'bench', 'launcher.mjs');
const KEY = 'bench-key';
/** DeepL's limits, as the issue states them: 50 texts and 128 KiB per request. */
const MAX_TEXTS = 50;
const MAX_BODY = 128 * 1024;

const { values: flags } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000' },
    segments: { type: 'string', default: '15' },
    'baseline-articles': { type: 'string', default: '100' },
    latency: { type: 'string', default: '20' },
    'per-kb': { type: 'string', default: '1' },
    cap: { type: 'string', default: '4' },
    'also-latency': { type: 'string', default: '100' },
    'no-double': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '5' },
    out: { type: 'string', default: 'BENCHMARKS.md' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    'glossary-terms': { type: 'string', default: '3,1000,10000' },
    'glossary-occurring': { type: 'string', default: '0' },
    'glossary-repeats': { type: 'string', default: '3' },
    'scale-n': { type: 'string', default: '10000' },
    'scale-volumes': { type: 'string', default: '0' },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(`Usage: npm run bench -- [options]

  --articles N            corpus size (default 1000); the scaling series runs N/10, N and 2N
  --segments S            segments per article: title, paragraphs, one subheading (default 15)
  --baseline-articles B   articles the one-paragraph-per-request baseline runs on, scaled to N (default 100)
  --latency MS            server latency per translate request (default 20)
  --per-kb MS             extra latency per KiB of request body (default 1)
  --cap C                 server answers 429 when C translate requests are already in flight (default 4)
  --also-latency MS       one more cold build and baseline at this latency per request (default 100; 0: skip)
  --no-double             skip the 2N run of the scaling series
  --seed X                corpus seed (default 1)
  --repeats R             cold builds of N/10 and N run R times each, taking turns, on fresh projects, and so do the
                          rebuilds after one review edit and after one new article; the median is reported (default 5)
  --out FILE              where to write the report (default BENCHMARKS.md; "-" for none)
  --keep                  keep the temp project folders
  --only glossary         run only the glossary scenario (after the warm-up)
  --only scale            run only the scale scenario (after the warm-up): one cold build per size of
                          --scale-n, its section replacing the one in --out (never part of the default run)
  --scale-n LIST          corpus sizes of the scale scenario (default 10000)
  --scale-volumes V       scale scenario: split the largest corpus into volumes of V articles, build them
                          from the memory and run epubcheck on every book (default 0: skip)
  --cpu-prof DIR          scale scenario: write a V8 CPU profile of each build into DIR (node --cpu-prof)
  --glossary-terms LIST   glossary sizes of the glossary scenario (default 3,1000,10000; up to 3 is the sample's)
  --glossary-occurring K  generated terms taken from the corpus's words, which occur in it (default 0: the glossary's size alone); the rest never occur
  --glossary-repeats R    rebuilds per glossary size, taking turns; the median is reported (default 3)
`);
  process.exit(0);
}
const N = positive('articles');
const SEGMENTS = positive('segments');
const BASELINE_ARTICLES = Math.min(N, positive('baseline-articles'));
const LATENCY = Number(flags.latency);
const PER_KB = Number(flags['per-kb']);
const CAP = positive('cap');
const ALSO_LATENCY = Number(flags['also-latency']);
const SEED = Number(flags.seed);
/** Cold builds of N/10 and N are repeated this often; the median is reported. */
const REPEATS = positive('repeats');
if (flags.only !== undefined && flags.only !== 'glossary' && flags.only !== 'scale') throw new Error('--only takes "glossary" or "scale"');
/** The scale scenario's corpus sizes, in articles. */
const SCALE_SIZES = (flags['scale-n'] ?? '').split(',').map((x) => {
  const n = Number(x.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error('--scale-n must list whole numbers ≥ 1');
  return n;
});
/** The scale scenario's articles per volume for its epubcheck of volumes; 0: none. */
const SCALE_VOLUMES = Number(flags['scale-volumes']);
if (!Number.isInteger(SCALE_VOLUMES) || SCALE_VOLUMES < 0) throw new Error('--scale-volumes must be a whole number ≥ 0');
/** The glossary scenario's sizes, in terms. */
const GLOSSARY_SIZES = (flags['glossary-terms'] ?? '').split(',').map((x) => {
  const n = Number(x.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error('--glossary-terms must list whole numbers ≥ 1');
  return n;
});
const GLOSSARY_OCCURRING = Number(flags['glossary-occurring']);
const GLOSSARY_REPEATS = positive('glossary-repeats');

function positive(name: keyof typeof flags): number {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}

/** diglot's `concurrency` in the sample config the benchmark projects copy. */
let CONCURRENCY = 4;

/** The latency the server answers with now (`reset` would restore the initial one). */
let latencyNow = LATENCY;

/** Forgets the recorded requests, keeping the current latency. */
function resetServer(server: DeepLServer): void {
  server.reset();
  server.setLatency(latencyNow, PER_KB);
}

/** What one diglot run cost and what it should have cost. */
interface Row {
  scenario: string;
  articles: number;
  wallMs: number;
  /** Time after start-up (node and module loading), inside the diglot process. */
  workMs: number;
  cpuMs: number;
  requests: number;
  minRequests: number;
  rejected429: number;
  peakConcurrency: number;
  billed: number;
  uniqueNewChars: number;
  uniqueNewTexts: number;
  peakRssMb: number;
  exitCode: number;
  /** The least time the requests alone take: their latencies, `concurrency` at a time. */
  networkFloorMs: number;
  /** From spawning diglot to the server receiving its first translate request. */
  beforeRequestsMs: number;
  /** From the first translate request received to the last one answered. */
  requestSpanMs: number;
  /** From the last translate request answered to diglot's exit. */
  afterRequestsMs: number;
  /** Translate requests in flight at the server, on average over the request span. */
  meanInFlight: number;
  /** For a row that is the median of repeated runs: every run's wall time. */
  repeats?: number[];
  /** What the checks found, as diglot reports it. */
  findings?: number;
}

/** One project folder and what its memory holds (tracked by the benchmark, not read from diglot). */
interface Project {
  dir: string;
  articles: BenchArticle[];
  translated: Set<string>;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run \`npm run build:ts\` (npm run bench does)`);
  const config = (await loadConfig(ROOT)).value;
  if (!config) throw new Error('the repository diglot.config.json is not valid');
  CONCURRENCY = config.concurrency;
  const pool = await samplePool(ROOT, config);
  const server = await startDeepLServer({ latencyMs: LATENCY, latencyPerKbMs: PER_KB, concurrencyCap: CAP });
  const temp = mkdtempSync(path.join(os.tmpdir(), 'diglot-bench-'));
  const started = Date.now();
  const probeBefore = probeMachine();
  const load = { before: os.loadavg(), after: [] as number[], probeBefore, probeAfter: probeBefore };
  const rows: Row[] = [];
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`diglot bench: N=${N}, ${SEGMENTS} segments per article, server ${LATENCY} ms + ${PER_KB} ms/KiB, cap ${CAP}; projects in ${temp}`);

  try {
    // The same seed: the first articles of every corpus are the same, a larger corpus extends a smaller one.
    const corpus = (count: number): BenchArticle[] => new CorpusGenerator(pool, SEED, SEGMENTS).articles(count);
    const newProject = (name: string, count: number): Project => {
      const dir = path.join(temp, name);
      mkdirSync(path.join(dir, 'memory'), { recursive: true });
      cpSync(path.join(ROOT, 'diglot.config.json'), path.join(dir, 'diglot.config.json'));
      cpSync(path.join(ROOT, 'glossary'), path.join(dir, 'glossary'), { recursive: true });
      writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), '');
      const articles = corpus(count);
      writeArticles(dir, articles);
      return { dir, articles, translated: new Set() };
    };
    const run = async (scenario: string, project: Project): Promise<Row> => {
      const row = await runDiglot(server, scenario, project);
      rows.push(row);
      log(formatRowLine(row));
      if (row.exitCode !== 0) throw new Error(`${scenario}: diglot exited with ${row.exitCode}`);
      return row;
    };

    /** One run of a scenario repeated for its median: logged indented, as the cold builds are. */
    const checkedRun = async (scenario: string, project: Project): Promise<Row> => {
      const row = await runDiglot(server, scenario, project);
      log(`  ${formatRowLine(row)}`);
      if (row.exitCode !== 0) throw new Error(`${scenario}: diglot exited with ${row.exitCode}`);
      return row;
    };

    /** One cold build of `count` articles on a fresh project. */
    const coldRun = async (scenario: string, name: string, count: number, i: number): Promise<{ row: Row; project: Project }> => {
      const project = newProject(`${name}-${i}`, count);
      return { row: await checkedRun(scenario, project), project };
    };
    /**
     * The row of repeated cold builds: the run with the median wall time (the machine's own noise
     * moves single runs by ±10 %). Returns the first run's project, which later scenarios continue from.
     */
    const medianRow = (runs: Array<{ row: Row; project: Project }>): Project => {
      const sorted = [...runs].sort((a, b) => a.row.wallMs - b.row.wallMs);
      const median = sorted[Math.floor(sorted.length / 2)]!.row;
      rows.push({ ...median, repeats: runs.map((r) => r.row.wallMs) });
      log(formatRowLine(median));
      return runs[0]!.project;
    };

    // Not measured: one small build first, so that no measured run pays for the test server's
    // (and the file cache's) warm-up; DeepL's servers do not get faster as a run goes on.
    const warmUp = await runDiglot(server, 'warm-up', newProject('warm-up', Math.max(1, Math.round(N / 50))));
    if (warmUp.exitCode !== 0) throw new Error(`warm-up: diglot exited with ${warmUp.exitCode}`);

    if (flags.only === 'scale') {
      const scale: ScaleRow[] = [];
      let volumes: VolumeCheck | undefined;
      for (const size of SCALE_SIZES) {
        const project = newProject(`scale-${size}`, size);
        const nodeArgs = flags['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(flags['cpu-prof'])] : [];
        const row = await runDiglot(server, `scale: cold build of ${size.toLocaleString('en-US')} articles`, project, {}, nodeArgs);
        if (row.exitCode !== 0) throw new Error(`${row.scenario}: diglot exited with ${row.exitCode}`);
        const out = path.join(project.dir, config.output);
        const sizes = outputSizes(out);
        const review = await timeReviewPages(out);
        log(
          `  ${formatRowLine(row)}; CPU ${(row.cpuMs / 1000).toFixed(1)} s, ${(row.cpuMs / size).toFixed(1)} ms per article; network floor ${(row.networkFloorMs / 1000).toFixed(1)} s (wall ÷ floor ${(row.wallMs / row.networkFloorMs).toFixed(2)}); report.json ${sizes.reportJson} B, findings.jsonl ${sizes.findingsJsonl} B, review.html ${sizes.reviewHtml} B`,
        );
        if (review)
          log(
            `  review index ready ${review.indexReadyMs} ms (${review.indexElements} elements), article page ${review.pageReadyMs} ms, n to ${review.crossedTo} ${review.crossMs.toFixed(0)} ms`,
          );
        scale.push({ run: row, sizes, ...(review ? { review } : {}) });
        if (size === Math.max(...SCALE_SIZES) && SCALE_VOLUMES > 0) {
          if (!haveEpubcheck()) throw new Error(`--scale-volumes needs java and ${EPUBCHECK_JAR}`);
          volumes = await checkVolumes(project.dir, CLI, SCALE_VOLUMES);
          log(`  volumes of ${SCALE_VOLUMES}: ${volumes.passed} of ${volumes.books} books pass epubcheck; ${volumes.failures.join('; ')}`);
        }
        // A 10,000-article project takes hundreds of MB: gone before the next size.
        if (!flags.keep) rmSync(project.dir, { recursive: true, force: true });
      }
      const cpus = os.cpus();
      const section = scaleSection(
        scale,
        {
          latency: LATENCY,
          perKb: PER_KB,
          concurrency: CONCURRENCY,
          segments: SEGMENTS,
          date: new Date().toISOString().slice(0, 10),
          machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`,
          load: `${load.before.map((x) => x.toFixed(2)).join(' ')} / ${os
            .loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')}`,
        },
        volumes,
      );
      process.stdout.write(section);
      if (flags.out !== '-') {
        const file = path.resolve(ROOT, flags.out!);
        writeFileSync(file, spliceSection(existsSync(file) ? readFileSync(file, 'utf8') : '# diglot benchmarks\n', SCALE_HEADING, section));
        log(`wrote its section into ${flags.out}`);
      }
      return;
    }

    if (flags.only === 'glossary') {
      const glossary = await runGlossaryScenario(server, newProject('glossary', N), pool, log);
      load.after = os.loadavg();
      load.probeAfter = probeMachine();
      const report = `# diglot benchmarks: the glossary scenario

Produced by \`npm run bench -- --only glossary\` (\`bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)}; the run took ${((Date.now() - started) / 1000).toFixed(0)} s. ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}; load average before ${load.before.map((x) => x.toFixed(2)).join(' ')}, after ${load.after.map((x) => x.toFixed(2)).join(' ')}.

${glossarySection(glossary)}`;
      process.stdout.write(report);
      if (flags.out !== '-') {
        writeFileSync(path.resolve(ROOT, flags.out!), report);
        log(`wrote ${flags.out}`);
      }
      return;
    }

    // Scaling series: the cold builds of N/10 and N take turns, so that the machine's drift over
    // the minutes of the run (its speed moves by ±10 %) weighs on both alike.
    const small = Math.max(1, Math.round(N / 10));
    const smallRuns: Array<{ row: Row; project: Project }> = [];
    const mainRuns: Array<{ row: Row; project: Project }> = [];
    for (let i = 1; i <= REPEATS; i++) {
      if (small < N) smallRuns.push(await coldRun('cold build, N/10', 'small', small, i));
      mainRuns.push(await coldRun('cold build, N', 'main', N, i));
    }
    if (small < N) medianRow(smallRuns);

    // The main corpus: cold, unchanged, one paragraph, 10 % of the articles.
    const main = medianRow(mainRuns);
    // Rebuilds after small changes (issue 17): each renders again only the articles that changed.
    // The first after the cold build finds the memory as that build's own appends left it: nothing
    // to do, as for the next ones.
    await run(FIRST_REBUILD, main);
    const unchangedRuns: Array<{ row: Row; project: Project }> = [];
    for (let i = 1; i <= REPEATS; i++)
      unchangedRuns.push({ row: await runDiglot(server, 'rebuild, nothing changed', main), project: main });
    medianRow(unchangedRuns);
    // One review edit, then one new article, each a median of as many runs as the cold build it is
    // compared with: an edit in another article each time, a new article after the last each time.
    const reviewedRuns: Array<{ row: Row; project: Project }> = [];
    for (let i = 0; i < REPEATS; i++) {
      reviewOneParagraph(main.dir, config.output, main.articles[Math.floor(N / 3) + i]!.id);
      reviewedRuns.push({ row: await checkedRun(REVIEWED, main), project: main });
    }
    medianRow(reviewedRuns);

    const editor = new CorpusGenerator(pool, SEED + 1000, SEGMENTS);
    const addedRuns: Array<{ row: Row; project: Project }> = [];
    for (let i = 0; i < REPEATS; i++) {
      // A new article at the end (its name sorts last), of new paragraphs.
      const id = `a${String(main.articles.length).padStart(5, '0')}`;
      const added: BenchArticle = { id, texts: Array.from({ length: SEGMENTS }, () => editor.paragraph()) };
      main.articles.push(added);
      writeArticles(main.dir, [added]);
      addedRuns.push({ row: await checkedRun(ADDED, main), project: main });
    }
    medianRow(addedRuns);
    const one = main.articles[Math.floor(N / 2)]!;
    one.texts[3] = editor.vary(one.texts[3]!);
    writeArticles(main.dir, [one]);
    const oneRow = await run('one paragraph changed', main);

    const changed = main.articles.filter((_, i) => i % 10 === 3);
    for (const a of changed) {
      a.texts[2] = editor.vary(a.texts[2]!);
      a.texts[a.texts.length - 2] = editor.vary(a.texts[a.texts.length - 2]!);
      a.texts.push(editor.paragraph());
    }
    writeArticles(main.dir, changed);
    await run(`10 % of articles changed (${changed.length}: 2 paragraphs edited, 1 added)`, main);

    if (!flags['no-double']) await run('cold build, 2N', newProject('double', 2 * N));

    // The baseline: one paragraph per request, sequentially, through deepl-node, on the first
    // articles of the same corpus and the same server.
    const baseline = await runBaseline(server, corpus(BASELINE_ARTICLES));
    log(
      `baseline on ${BASELINE_ARTICLES} articles: ${(baseline.wallMs / 1000).toFixed(1)} s, ${baseline.requests} requests, ${baseline.billed} characters`,
    );

    // The same comparison at a higher latency, nearer to DeepL's own.
    let slower: { row: Row; baseline: Baseline } | undefined;
    if (ALSO_LATENCY > 0) {
      latencyNow = ALSO_LATENCY;
      const row = await run(`cold build, N, at ${ALSO_LATENCY} ms + ${PER_KB} ms/KiB`, newProject('slower', N));
      const subset = Math.max(1, Math.ceil(BASELINE_ARTICLES / 5));
      const slowBaseline = await runBaseline(server, corpus(subset));
      log(`baseline on ${subset} articles at ${ALSO_LATENCY} ms: ${(slowBaseline.wallMs / 1000).toFixed(1)} s`);
      slower = { row, baseline: slowBaseline };
      latencyNow = LATENCY;
    }

    const glossary = await runGlossaryScenario(server, newProject('glossary', N), pool, log);

    load.after = os.loadavg();
    load.probeAfter = probeMachine();
    const report = `${renderReport(rows, baseline, oneRow, slower, (Date.now() - started) / 1000, load)}\n${glossarySection(glossary)}`;
    process.stdout.write(report);
    if (flags.out !== '-') {
      // The scale scenario's section (run on demand only) is kept from the file as it was.
      const file = path.resolve(ROOT, flags.out!);
      const scale = existsSync(file) ? findSection(readFileSync(file, 'utf8'), SCALE_HEADING) : undefined;
      writeFileSync(file, scale ? spliceSection(report, SCALE_HEADING, scale) : report);
      log(`wrote ${flags.out}`);
    }
  } finally {
    await server.close();
    launcher?.disconnect();
    if (!flags.keep) rmSync(temp, { recursive: true, force: true });
  }
}

/** Runs `diglot build --json` on a project in a child process and checks it against the corpus. */
/** The rebuild scenarios' names (issue 17's targets find their rows by them). */
const FIRST_REBUILD = 'rebuild after the cold build, nothing changed (every article kept)';
const REVIEWED = 'one paragraph reviewed (its review file edited and imported)';
const ADDED = 'one article added';

/** A reviewer's edit: the first English paragraph of an article's review file changed, then `diglot review import` (not timed). */
function reviewOneParagraph(dir: string, output: string, id: string): void {
  const file = path.join(dir, output, `${id}.review.md`);
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/(<!-- EN -->\n\n)([^\n]+)/, '$1$2 Reviewed.');
  if (edited === text) throw new Error(`${file}: no English paragraph to edit`);
  writeFileSync(file, edited);
  const imported = spawnSync(process.execPath, [CLI, 'review', 'import', '--root', dir], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`review import exited with ${imported.status}: ${imported.stderr}`);
}

async function runDiglot(
  server: DeepLServer,
  scenario: string,
  project: Project,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
  /** More arguments of `diglot build`. */
  buildArgs: string[] = [],
): Promise<Row> {
  // What the memory lacks, per article, in file order; a repeat is sent where it first appears.
  const seen = new Set<string>();
  let minRequests = 0;
  let uniqueNewChars = 0;
  for (const article of project.articles) {
    const fresh = article.texts.filter((t) => {
      if (project.translated.has(t) || seen.has(t)) return false;
      seen.add(t);
      return true;
    });
    if (fresh.length === 0) continue;
    const bytes = fresh.reduce((n, t) => n + new URLSearchParams({ text: t }).toString().length + 1, 0);
    minRequests += Math.max(Math.ceil(fresh.length / MAX_TEXTS), Math.ceil(bytes / MAX_BODY));
    uniqueNewChars += fresh.reduce((n, t) => n + [...t].length, 0);
  }

  resetServer(server);
  const { exitCode, wallMs, beginEpoch, stdout, stderr, measured } = await launch(
    [...nodeArgs, MEASURE, CLI, 'build', '--root', project.dir, '--json', ...buildArgs],
    {
      PATH: process.env['PATH'] ?? '',
      NO_COLOR: '1',
      DEEPL_AUTH_KEY: KEY,
      DEEPL_SERVER_URL: server.url,
      ...extraEnv,
    },
  );
  if (exitCode !== 0) process.stderr.write(`${stderr}\n`);
  const usage = JSON.parse(measured || '{}') as { maxRssKb?: number; userMs?: number; systemMs?: number; workMs?: number };
  const result = JSON.parse(stdout || '{}') as { totals?: { requests: number; billedCharacters: number; findings: number } };

  const translate = server.translateRequests();
  const requests = translate.filter((r) => r.status === 200).length;
  const billed = server.billedCharacters();
  if (result.totals && (result.totals.requests !== requests || result.totals.billedCharacters !== billed)) {
    process.stderr.write(
      `${scenario}: diglot reports ${result.totals.requests} requests / ${result.totals.billedCharacters} characters, the server saw ${requests} / ${billed}\n`,
    );
  }
  if (exitCode === 0) for (const t of server.textsSent()) project.translated.add(t);
  return {
    scenario,
    articles: project.articles.length,
    wallMs,
    workMs: usage.workMs ?? NaN,
    cpuMs: (usage.userMs ?? NaN) + (usage.systemMs ?? NaN),
    requests,
    minRequests,
    rejected429: translate.filter((r) => r.status === 429).length,
    peakConcurrency: server.peakConcurrency(),
    billed,
    uniqueNewChars,
    uniqueNewTexts: seen.size,
    peakRssMb: (usage.maxRssKb ?? NaN) / 1024,
    exitCode,
    ...(result.totals ? { findings: result.totals.findings } : {}),
    networkFloorMs:
      translate.filter((r) => r.status === 200).reduce((ms, r) => ms + latencyNow + (PER_KB * r.bodyBytes) / 1024, 0) / CONCURRENCY,
    ...timeline(translate, beginEpoch, wallMs),
  };
}

interface Launched {
  exitCode: number;
  wallMs: number;
  beginEpoch: number;
  stdout: string;
  stderr: string;
  measured: string;
}

let launcher: ChildProcess | undefined;
let launches = 0;
/** Runs `node args…` from bench/launcher.mjs (a small process: see there why) and times it. */
function launch(args: string[], env: Record<string, string>): Promise<Launched> {
  launcher ??= fork(LAUNCHER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const helper = launcher;
  const id = launches++;
  return new Promise((resolve, reject) => {
    const onMessage = (message: Launched & { id: number }): void => {
      if (message.id !== id) return;
      helper.off('message', onMessage);
      helper.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`bench/launcher.mjs exited with ${code}`));
    helper.on('message', onMessage);
    helper.once('exit', onExit);
    helper.send({ id, args, env });
  });
}

interface Probe {
  loopMs: number;
  usPerPage: number;
}

/** How fast the machine is just now, as a fresh Node process sees it: see the report's Machine section. */
function probeMachine(): Probe {
  const code = `const t0 = performance.now(); let x = 0; for (let i = 0; i < 1e8; i++) x += i % 7;
const t1 = performance.now(); const b = Buffer.allocUnsafeSlow(64 * 2 ** 20); for (let i = 0; i < b.length; i += 4096) b[i] = x & 1;
console.log(JSON.stringify({ loopMs: t1 - t0, usPerPage: ((performance.now() - t1) * 1000) / (b.length / 4096) }));`;
  const run = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return run.status === 0 ? (JSON.parse(run.stdout) as Probe) : { loopMs: NaN, usPerPage: NaN };
}

/** When the requests ran within a diglot run (server clock, milliseconds). */
function timeline(
  translate: ReturnType<DeepLServer['translateRequests']>,
  beginEpoch: number,
  wallMs: number,
): Pick<Row, 'beforeRequestsMs' | 'requestSpanMs' | 'afterRequestsMs' | 'meanInFlight'> {
  const answered = translate.filter((r) => r.answeredAt !== undefined);
  if (answered.length === 0) return { beforeRequestsMs: NaN, requestSpanMs: 0, afterRequestsMs: NaN, meanInFlight: 0 };
  const first = Math.min(...answered.map((r) => r.receivedAt));
  const last = Math.max(...answered.map((r) => r.answeredAt as number));
  const busy = answered.reduce((ms, r) => ms + (r.answeredAt as number) - r.receivedAt, 0);
  return {
    beforeRequestsMs: first - beginEpoch,
    requestSpanMs: last - first,
    afterRequestsMs: beginEpoch + wallMs - last,
    meanInFlight: last > first ? busy / (last - first) : 0,
  };
}

interface Baseline {
  articles: number;
  wallMs: number;
  requests: number;
  billed: number;
}

/**
 * The anchors' way: every paragraph in its own request, one after another, no context, no
 * dedupe. Only the requests are timed (no reading, segmenting or writing), which flatters the
 * baseline.
 */
async function runBaseline(server: DeepLServer, articles: readonly BenchArticle[]): Promise<Baseline> {
  resetServer(server);
  const client = new deepl.DeepLClient(KEY, { serverUrl: server.url, sendPlatformInfo: false });
  const begin = performance.now();
  for (const article of articles) {
    for (const text of article.texts) await client.translateText(text, 'de', 'en-US');
  }
  return {
    articles: articles.length,
    wallMs: performance.now() - begin,
    requests: server.translateRequests().length,
    billed: server.billedCharacters(),
  };
}

function formatRowLine(r: Row): string {
  return `${r.scenario}: ${(r.wallMs / 1000).toFixed(2)} s, ${r.requests} requests (minimum ${r.minRequests}, ${r.rejected429} × 429), ${r.billed} billed (${r.uniqueNewChars} unique new), peak RSS ${r.peakRssMb.toFixed(0)} MB, exit ${r.exitCode}`;
}

function renderReport(
  rows: Row[],
  baseline: Baseline,
  oneRow: Row,
  slower: { row: Row; baseline: Baseline } | undefined,
  totalSeconds: number,
  load: { before: number[]; after: number[]; probeBefore: Probe; probeAfter: Probe },
): string {
  const find = (name: string): Row | undefined => rows.find((r) => r.scenario === name);
  const cold = find('cold build, N')!;
  const smallRow = find('cold build, N/10');
  const doubleRow = find('cold build, 2N');
  const unchanged = find('rebuild, nothing changed')!;
  const firstRebuild = find(FIRST_REBUILD);
  const reviewed = find(REVIEWED);
  const added = find(ADDED);
  // The time a few requests take: their latencies, as many at once as there are (up to `concurrency`).
  const requestsMs = (r: Row): number => (r.networkFloorMs * CONCURRENCY) / Math.max(1, Math.min(CONCURRENCY, r.requests));
  const scale = N / baseline.articles;
  const baselineWall = baseline.wallMs * scale;
  const speedup = baselineWall / cold.wallMs;
  const perArticle = (r: Row, key: 'wallMs' | 'workMs'): number => r[key] / r.articles;
  const ratio = (a: number, b: number): string => (b === 0 ? (a === 0 ? '–' : '∞') : (a / b).toFixed(3));
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const n = (x: number): string => x.toLocaleString('en-US');
  const mark = (ok: boolean): string => (ok ? '**met**' : '**not met**');
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

  // Its wall time against the floor of diglot's cold build of N at the same latency.
  const baselineRow = (b: Baseline, latency: number, floorMs: number): string => {
    const k = N / b.articles;
    return `| baseline at ${latency} ms: one paragraph per request, sequential (${n(b.articles)} articles measured, ×${k.toFixed(0)}) | ${n(N)} | ${s(b.wallMs * k)} | – | – | ${n(Math.round(b.requests * k))} | – | – | 0 | 1 | ${n(Math.round(b.billed * k))} | – | – | – | ${((b.wallMs * k) / N).toFixed(2)} | ${((b.wallMs * k) / floorMs).toFixed(2)} |`;
  };
  const table = [
    '| scenario | articles | wall s | work s | CPU s | requests | minimum | requests ÷ minimum | 429s | peak in flight | billed characters | unique untranslated characters | billed ÷ unique | peak RSS MB | ms per article (wall / work) | wall ÷ network floor |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.scenario}${r.repeats ? ` (median of ${r.repeats.length}: ${r.repeats.map((ms) => s(ms)).join(', ')} s)` : ''} | ${n(r.articles)} | ${s(r.wallMs)} | ${s(r.workMs)} | ${s(r.cpuMs)} | ${n(r.requests)} | ${n(r.minRequests)} | ${ratio(r.requests, r.minRequests)} | ${r.rejected429} | ${r.peakConcurrency} | ${n(r.billed)} | ${n(r.uniqueNewChars)} | ${ratio(r.billed, r.uniqueNewChars)} | ${r.peakRssMb.toFixed(0)} | ${perArticle(r, 'wallMs').toFixed(2)} / ${perArticle(r, 'workMs').toFixed(2)} | ${r.networkFloorMs > 0 ? (r.wallMs / r.networkFloorMs).toFixed(2) : '–'} |`,
    ),
    baselineRow(baseline, LATENCY, cold.networkFloorMs),
    ...(slower ? [baselineRow(slower.baseline, ALSO_LATENCY, slower.row.networkFloorMs)] : []),
  ];

  const variation = (a: Row | undefined, b: Row | undefined, key: 'wallMs' | 'workMs'): number =>
    a && b ? Math.abs(perArticle(b, key) / perArticle(a, key) - 1) : NaN;
  const exactBilling = rows.every((r) => r.billed === r.uniqueNewChars);
  const worstRequests = Math.max(
    ...rows.map((r) => (r.minRequests === 0 ? (r.requests === 0 ? 1 : Infinity) : r.requests / r.minRequests)),
  );
  const wallVariation = variation(smallRow, cold, 'wallMs');
  const workVariation = variation(smallRow, cold, 'workMs');
  const scalingMark =
    wallVariation <= 0.2
      ? mark(true)
      : workVariation <= 0.2
        ? `**met for the work after start-up** (${pct(workVariation)}); **not met** for wall time (${pct(wallVariation)}), where N/10 spreads what every run pays once (Node's start-up and loading the CLI, ${s(smallRow ? smallRow.wallMs - smallRow.workMs : NaN)} s here; the glossary; filling and draining the pipeline of requests; the books' front matter) over a tenth of the articles`
        : mark(false);
  const slowerSpeedup = slower ? (slower.baseline.wallMs * (N / slower.baseline.articles)) / slower.row.wallMs : NaN;
  const targets = [
    `- Cold build ≥ 30× faster than the baseline at the same latency: **${speedup.toFixed(1)}×** at ${LATENCY} ms (${s(cold.wallMs)} s against ${s(baselineWall)} s) — ${mark(speedup >= 30)}${slower ? `; ${slowerSpeedup.toFixed(1)}× at ${ALSO_LATENCY} ms (${s(slower.row.wallMs)} s against ${s(slower.baseline.wallMs * (N / slower.baseline.articles))} s) — ${mark(slowerSpeedup >= 30)}` : ''}`,
    `- Requests ≤ 1.05 × the minimum: worst ${worstRequests.toFixed(3)}× over all scenarios — ${mark(worstRequests <= 1.05)}`,
    `- Billed characters = unique untranslated characters, exactly: ${rows.map((r) => `${n(r.billed)} = ${n(r.uniqueNewChars)}`).join('; ')} — ${mark(exactBilling)}`,
    `- Rebuild with nothing changed: ${unchanged.requests} requests, ${unchanged.billed} characters — ${mark(unchanged.requests === 0 && unchanged.billed === 0)}`,
    `- Rebuild with nothing changed ≤ 10 % of the cold build's wall time (issue 17): **${pct(unchanged.wallMs / cold.wallMs)}** (${s(unchanged.wallMs)} s against ${s(cold.wallMs)} s) — ${mark(unchanged.wallMs <= 0.1 * cold.wallMs)}${firstRebuild ? `; the first rebuild after the cold build (which sent requests), ${pct(firstRebuild.wallMs / cold.wallMs)} (${s(firstRebuild.wallMs)} s)` : ''}`,
    ...(reviewed
      ? [
          `- One paragraph reviewed, then rebuilt, ≤ 15 % of the cold build: **${pct(reviewed.wallMs / cold.wallMs)}** (${s(reviewed.wallMs)} s; ${reviewed.requests} requests) — ${mark(reviewed.wallMs <= 0.15 * cold.wallMs && reviewed.requests === 0)}`,
        ]
      : []),
    ...(added
      ? [
          `- One article added ≤ 15 % of the cold build plus its requests (${added.requests} ${added.requests === 1 ? 'request' : 'requests'}, ${s(requestsMs(added))} s of latency): **${pct((added.wallMs - requestsMs(added)) / cold.wallMs)}** without them (${s(added.wallMs)} s in all) — ${mark(added.wallMs <= 0.15 * cold.wallMs + requestsMs(added))}`,
        ]
      : []),
    `- One changed paragraph: ${oneRow.requests} request billing ${n(oneRow.billed)} characters; the paragraph has ${n(oneRow.uniqueNewChars)} — ${mark(oneRow.requests === 1 && oneRow.billed === oneRow.uniqueNewChars && oneRow.uniqueNewTexts === 1)}`,
    smallRow
      ? `- Time per article varies ≤ 20 % from N/10 to N (issue 8's target; issue 20 measures it from 1,000 to 10,000 articles instead, in \`--only scale\`; the change from the N/10 figure; measured from N's figure instead, N/10 is ${pct(variation(cold, smallRow, 'wallMs'))} above it on wall time and ${pct(variation(cold, smallRow, 'workMs'))} after start-up): wall ${perArticle(smallRow, 'wallMs').toFixed(2)} → ${perArticle(cold, 'wallMs').toFixed(2)} ms (${pct(wallVariation)}), work after start-up ${perArticle(smallRow, 'workMs').toFixed(2)} → ${perArticle(cold, 'workMs').toFixed(2)} ms (${pct(workVariation)}) — ${scalingMark}${doubleRow ? `. At 2N: ${perArticle(doubleRow, 'wallMs').toFixed(2)} ms wall, ${perArticle(doubleRow, 'workMs').toFixed(2)} ms work (${pct(variation(cold, doubleRow, 'workMs'))} from N)` : ''}`
      : '- Time per article: no N/10 run (N too small)',
    `- Peak RSS at N = ${n(N)} under 512 MB: ${cold.peakRssMb.toFixed(0)} MB — ${mark(cold.peakRssMb < 512)}${doubleRow ? ` (at 2N: ${doubleRow.peakRssMb.toFixed(0)} MB)` : ''}`,
    `- Cold build of N against the network floor (issue 21 asks ≤ 1.5× at 10,000 articles; \`--only scale\` measures that): **${(cold.wallMs / cold.networkFloorMs).toFixed(2)}×** (${s(cold.wallMs)} s against ${s(cold.networkFloorMs)} s)`,
  ];

  const floor = (r: Row): string =>
    `its ${n(r.requests)} requests alone take at least ${s(r.networkFloorMs)} s (${CONCURRENCY} at a time). The server received the first ${s(r.beforeRequestsMs)} s after diglot was started (start-up, reading and segmenting ${n(r.articles)} articles, the review-edit guard, planning every request, the glossary) and answered the last ${s(r.afterRequestsMs)} s before it exited (the last articles' outputs, both EPUBs' front matter and zip, the review page's head, the report's totals, the review state, renaming every file written into place). In between, ${s(r.requestSpanMs)} s with ${r.meanInFlight.toFixed(2)} requests in flight on average, while each article's checks and outputs were rendered as soon as its answer arrived`;
  const notes = [
    `- At ${LATENCY} ms, the cold build of N articles: ${floor(cold)}. The baseline is ${(baselineWall / cold.networkFloorMs).toFixed(1)}× that floor.`,
    ...(smallRow
      ? [
          `- At ${LATENCY} ms, N/10: ${floor(smallRow)}. What does not grow with the corpus (Node's start-up, the glossary, the first and last requests, the books' front matter) weighs ten times as much per article here.`,
        ]
      : []),
    ...(slower ? [`- At ${ALSO_LATENCY} ms: ${floor(slower.row)}.`] : []),
  ];

  const cpus = os.cpus();
  const git = (args: string[]): string => {
    const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : '';
  };
  const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'src'])
    .split('\n')
    .filter((l) => l.trim() !== '').length;
  const loads = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  const probe = (p: Probe): string => `${p.loopMs.toFixed(0)} ms loop, ${p.usPerPage.toFixed(2)} µs per 4 KiB page`;
  return `# diglot benchmarks

Produced by \`npm run bench\` (\`bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)} at commit ${commit}${dirty > 0 ? ` with ${dirty} uncommitted change${dirty === 1 ? '' : 's'} in \`src/\`` : ''}; the whole run took ${totalSeconds.toFixed(0)} s.
Re-run it to refresh this file; \`npm run bench -- --help\` lists the parameters.

## Machine

- ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory
- ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}
- Load average (1, 5, 15 min) before the run: ${loads(load.before)}; after: ${loads(load.after)}. Other work on the machine slows the CPU-bound parts of diglot more than the latency-bound baseline.
- Speed probe, a fresh Node process timing a fixed loop and the first touch of 64 MiB of new memory: before the run ${probe(load.probeBefore)}; after ${probe(load.probeAfter)}. On this virtual machine both move by up to half from one hour to the next, and with them what every diglot run pays once (start-up, first and last requests, exit), which weighs ten times as much per article at N/10 as at N.

## Parameters

- Corpus: N = ${n(N)} synthetic German articles of ${SEGMENTS} segments (a title, one subheading, paragraphs), recombined and varied from the sentences of the sample articles in \`sources/\` (seed ${SEED}); about 2 % of the paragraphs are exact repeats of a paragraph of an earlier article. ${n(cold.uniqueNewTexts)} distinct texts in ${n(N * SEGMENTS)} segments, ${n(cold.uniqueNewChars)} characters.
- Server: \`test/deepl-server.ts\` on 127.0.0.1, ${LATENCY} ms per translate request + ${PER_KB} ms per KiB of request body (and once ${ALSO_LATENCY > 0 ? `${ALSO_LATENCY} ms + ${PER_KB} ms per KiB` : '–'}), answering 429 when ${CAP} translate requests are already in flight. diglot's \`concurrency\` is the sample config's.
- diglot: \`node dist/cli/main.js build --json\` in a child process (real deepl-node client, glossary, XML tag handling, memory appends with fsync, all outputs including both EPUBs and the checks). Each cold build starts from an empty memory; the cold builds of N/10 and N run ${REPEATS} times each on fresh projects, taking turns, and the table shows the median run (every run's wall time in brackets). Before the first measured run, a build of ${n(Math.max(1, Math.round(N / 50)))} article${Math.round(N / 50) > 1 ? 's' : ''} warms up the test server and the file cache; it is not counted. *Wall* is the child process from spawn to exit, spawned from a small launcher process (\`bench/launcher.mjs\`: forking from the benchmark's own 150–250 MB added 10–15 ms a run); *work* leaves out Node's start-up and loading the bundled CLI (about ${s(cold.wallMs - cold.workMs)} s); peak RSS is the child's own \`ru_maxrss\`.
- Edits: *one paragraph reviewed* edits the English of one paragraph in one article's review file and imports it (not timed), then rebuilds, and *one article added* writes a new article after the last, then builds; each runs as many times as the cold builds (another article each time) and the table shows the median run. *One paragraph changed* varies one paragraph of one article; *10 % changed* edits two paragraphs and adds one in every tenth article.
- Baseline: the anchors' way, one paragraph per \`translateText\` call, one after another, through deepl-node against the same server; measured on the first ${n(baseline.articles)} articles of the same corpus${slower ? ` (${n(slower.baseline.articles)} at ${ALSO_LATENCY} ms)` : ''} and scaled to N. Only its requests are timed (no reading or writing files), which flatters it.
- Minimum requests: per article ⌈texts ÷ 50⌉, or more only where the texts' form-encoded size needs more 128 KiB requests; a text repeated across articles counts where it first appears. Unique untranslated characters: code points of the distinct texts the memory lacks. Both are computed by the benchmark from the corpus it generated, not by diglot.

## Results

${table.join('\n')}

## Targets (issue 8)

${targets.join('\n')}

## Where the time goes

${notes.join('\n')}
`;
}

/** One glossary size of the glossary scenario: the median rebuild and the glossary's size. */
interface GlossaryRow {
  terms: number;
  forms: number;
  row: Row;
}

/**
 * Issue 16's glossary scenario: the project's articles built once through the server (which fills
 * the memory; not measured), then rebuilt from the memory alone (no requests: only reading,
 * checking, rendering and writing) with each glossary size in turn, `GLOSSARY_REPEATS` times.
 * The glossary of up to 3 terms is the sample's; larger ones add generated terms (`bench/glossary-terms.ts`).
 */
async function runGlossaryScenario(
  server: DeepLServer,
  project: Project,
  pool: SamplePool,
  log: (line: string) => void,
): Promise<GlossaryRow[]> {
  const file = path.join(project.dir, 'glossary', 'terms.csv');
  const sampleCsv = readFileSync(path.join(ROOT, 'glossary', 'terms.csv'), 'utf8').trimEnd();
  const sample = parseGlossary(sampleCsv, 'terms.csv').glossary;
  const exclude = sample.terms.flatMap((t) => termForms(t).map((f) => f.de));
  const texts = [...pool.sentences, ...pool.headings];
  const glossaries = GLOSSARY_SIZES.map((size) => {
    const rows = sampleCsv.split('\n').slice(0, 1 + Math.min(size, sample.terms.length));
    const extra = size - sample.terms.length;
    if (extra > 0)
      rows.push(
        ...glossaryCsv(generateTerms(texts, extra, { exclude, occurring: GLOSSARY_OCCURRING, englishAsGerman: true }))
          .trimEnd()
          .split('\n')
          .slice(1),
      );
    const csv = `${rows.join('\n')}\n`;
    const { glossary, problems } = parseGlossary(csv, 'terms.csv');
    if (problems.length > 0 || glossary.terms.length !== size)
      throw new Error(`generated glossary of ${size} terms: ${problems[0]?.message ?? `${glossary.terms.length} terms`}`);
    return { size, csv, forms: glossary.terms.reduce((n, t) => n + termForms(t).length, 0) };
  });

  writeFileSync(file, `${sampleCsv}\n`);
  const fill = await runDiglot(server, 'glossary: first build, fills the memory', project);
  log(`  ${formatRowLine(fill)}`);
  if (fill.exitCode !== 0) throw new Error(`glossary scenario: the first build exited with ${fill.exitCode}`);
  const runs = new Map<number, Row[]>(glossaries.map((g) => [g.size, []]));
  for (let i = 1; i <= GLOSSARY_REPEATS; i++) {
    for (const g of glossaries) {
      writeFileSync(file, g.csv);
      // Forced: every article rendered again, however the glossary changed (a rebuild keeps the articles whose inputs are unchanged).
      const row = await runDiglot(server, `rebuild from the memory, ${g.size.toLocaleString('en-US')} terms`, project, {}, [], ['--force']);
      log(`  ${formatRowLine(row)}, ${row.findings ?? '?'} findings`);
      if (row.exitCode !== 0 || row.requests !== 0) throw new Error(`${row.scenario}: exit ${row.exitCode}, ${row.requests} requests`);
      runs.get(g.size)!.push(row);
    }
  }
  return glossaries.map((g) => {
    const all = runs.get(g.size)!;
    const median = [...all].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(all.length / 2)]!;
    return { terms: g.size, forms: g.forms, row: { ...median, repeats: all.map((r) => r.wallMs) } };
  });
}

/** The glossary scenario's part of the report: a table and issue 16's target. */
function glossarySection(rows: readonly GlossaryRow[]): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const n = (x: number): string => x.toLocaleString('en-US');
  const smallest = rows.reduce((a, b) => (b.terms < a.terms ? b : a));
  const largest = rows.reduce((a, b) => (b.terms > a.terms ? b : a));
  const wall = largest.row.wallMs / smallest.row.wallMs;
  const work = largest.row.workMs / smallest.row.workMs;
  const table = [
    '| terms | German forms | wall s | work s | CPU s | findings | peak RSS MB | every run, wall s | wall ÷ smallest |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      (g) =>
        `| ${n(g.terms)} | ${n(g.forms)} | ${s(g.row.wallMs)} | ${s(g.row.workMs)} | ${s(g.row.cpuMs)} | ${n(g.row.findings ?? NaN)} | ${g.row.peakRssMb.toFixed(0)} | ${(g.row.repeats ?? []).map(s).join(', ')} | ${(g.row.wallMs / smallest.row.wallMs).toFixed(3)} |`,
    ),
  ];
  return `## Glossary at scale (issue 16)

${n(largest.row.articles)} articles of the corpus, built once through the server (which fills the memory), then rebuilt from the memory alone with \`--force\` (every article rendered again; no requests: reading, checking every segment against the glossary, the review page's term marks, both EPUBs and their colophon, writing) with glossaries of ${rows.map((g) => n(g.terms)).join(', ')} terms, taking turns, ${GLOSSARY_REPEATS} times each; the table shows the median run. Up to 3 terms is the sample's glossary; larger ones add generated terms (\`bench/glossary-terms.ts\`, forms listed as in \`glossary/terms.csv\`): at most ${n(GLOSSARY_OCCURRING)} taken from the corpus's own words, which occur in it (nouns with a plural form, lower-case twins, adjective + noun phrases with another ending, hyphenated compounds with a capitalised variant and their heads, prefixes of words), and the rest made up, many sharing a first word with the corpus ("Verteidigung Kalobrat") so that they are tried and rejected there. The test server's English is the German prefixed with "EN: ", so a generated term's English is its German: the terms that occur are found, checked and marked on the review page, and mostly comply, as DeepL's output would with the glossary. *Findings* counts what the checks found (the sample terms' and the server's "untranslated" English at every size); what 1,000 or 10,000 terms add comes from the terms that occur, where the German is inflected and the English keeps that inflection. By default none of the generated terms occurs (\`--glossary-occurring 0\`): the figures measure the glossary's size alone; with terms that occur (\`--glossary-occurring 100\`), their findings and marks add work in proportion to what they find.

${table.join('\n')}

- ${n(largest.terms)}-term rebuild ≤ 1.3 × the ${n(smallest.terms)}-term rebuild: **${wall.toFixed(3)}×** wall (${s(largest.row.wallMs)} s against ${s(smallest.row.wallMs)} s), ${work.toFixed(3)}× work after start-up — ${wall <= 1.3 ? '**met**' : '**not met**'}
`;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
