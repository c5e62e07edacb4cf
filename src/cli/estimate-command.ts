import type { DeepLSettings } from '../config/config.js';
import { deeplEntries } from '../glossary/deepl-entries.js';
import { loadProject, type Project } from '../load-project.js';
import { findUnimportedEdits, unimportedLines } from '../review-file/find-unimported-edits.js';
import { settingsHash } from '../translate/settings-hash.js';
import { planTranslation, type TranslationPlan } from '../translate/plan-translation.js';
import type { EngineUsage } from '../translate/engine.js';
import { DiglotError, EXIT, type ExitCode } from '../util/errors.js';
import { type CommandContext, printJson, projectConfig } from './context.js';
import { engineFromEnv } from './engine-from-env.js';
import { commonHelp, parseCommandArgs } from './parse-command-args.js';
import { counted, formatCount } from '../util/format-count.js';

export const ESTIMATE_HELP = `Usage: diglot estimate [options]

Shows what \`diglot build\` would send to DeepL, without sending anything: segments in total,
found in the translation memory, new (and how many distinct texts), the characters DeepL will
bill and the requests it will take. With DEEPL_AUTH_KEY set it also asks DeepL for the account's
usage and limit (no characters are billed for that) and says whether the run fits. It shows the
DeepL settings of diglot.config.json ("deepl") with their hash, and how many machine translations
in use were made with other settings or another glossary (\`diglot retranslate --settings-changed\`
re-sends them).

Options:
${commonHelp(16, { json: 'print the estimate as JSON on stdout' })}

Environment:
  DEEPL_AUTH_KEY     DeepL API key (never printed); without it usage is not shown
  DEEPL_SERVER_URL   DeepL-compatible server to use instead of DeepL's
`;

/** The estimate as `--json` prints it. */
export interface Estimate {
  articles: number;
  segments: number;
  /** Segments the memory serves. */
  fromMemory: number;
  /** Segments without words, never sent (their English is their German). */
  copied: number;
  /** Segments that need DeepL, counting repeats. */
  newSegments: number;
  /** Distinct texts among them: what is actually sent. */
  distinctNewTexts: number;
  billedCharacters: number;
  requests: number;
  /** DeepL's account usage; `null` without a key or when it could not be read. */
  usage: {
    characterCount: number;
    characterLimit: number | null;
    remaining: number | null;
    fits: boolean;
    /**
     * What `build --max-characters REMAINING` would send when the run does not fit: the requests, in
     * the order they go, up to the first that would go over (the build stops there).
     */
    withinLimit?: { requests: number; characters: number };
  } | null;
  /** Why usage is missing when a key is set. */
  usageError: string | null;
  /**
   * Review files holding edits not imported, which make `build` refuse to run: each with the lines
   * of its edits and of the changes `review import` would refuse.
   */
  unimportedEdits: Array<{ file: string; edits: number[]; refused: number[] }>;
  /** The DeepL settings sent with every request, their hash (with the glossary's), and the machine translations made otherwise. */
  settings: {
    hash: string;
    deepl: DeepLSettings;
    /** Distinct machine translations (origin deepl) the sources use. */
    machineTranslations: number;
    /** Of those, the ones made with other settings or another glossary, or before diglot recorded them. */
    otherSettings: number;
  };
}

/** `diglot estimate`: the plan `build` would follow, and whether the account can pay for it. */
export async function estimateCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs('estimate', ctx.args, {}, { positionals: false });
  if (values.help) {
    ctx.stdout(ESTIMATE_HELP);
    return EXIT.ok;
  }
  const config = await projectConfig(values.root, ctx);
  const project = await loadProject(config, ctx.log);
  const plan = planTranslation(project.articles, project.memory, config.targetLang);

  const engine = await engineFromEnv(config, ctx.log);
  let usage: EngineUsage | undefined;
  let usageError: DiglotError | undefined;
  if (engine) {
    try {
      usage = await engine.usage();
    } catch (error) {
      if (!(error instanceof DiglotError)) throw error;
      usageError = error;
    }
  }
  // What would stop `build` before it sends anything: said here, where the run is planned.
  const unimported = await findUnimportedEdits(config, project.articles, project.memory);
  const estimate = {
    ...toEstimate(project.articles.length, plan, usage, usageError),
    settings: settingsInUse(project),
    unimportedEdits: unimported.map((f) => ({ file: f.file, edits: f.changed, refused: f.problems.map((p) => p.line) })),
  };

  if (values.json) {
    printJson(ctx, estimate);
  } else if (!values.quiet) {
    ctx.stdout(formatEstimate(estimate, engine !== undefined));
  }
  if (unimported.length > 0) {
    // A change the import would refuse (a German edited, say) is mended in the file first.
    const refused = unimported.some((f) => f.problems.length > 0);
    ctx.log.warn(
      `build would refuse to run: ${unimported.length === 1 ? 'a review file holds' : `${unimported.length} review files hold`} ` +
        `edits not imported yet:\n${unimportedLines(unimported).join('\n')}\n  hint: run \`diglot review import\` first` +
        (refused ? ' (it names the lines it cannot import: mend those first)' : ''),
    );
  }
  if (usageError) {
    ctx.log.error(usageError.message + (usageError.hint ? `\n  hint: ${usageError.hint}` : ''));
    return usageError.exitCode;
  }
  return EXIT.ok;
}

/** The current settings' hash, and how many machine translations the sources use were made with others. */
function settingsInUse(project: Project): Estimate['settings'] {
  const { config, memory } = project;
  const hash = settingsHash(config.deepl, deeplEntries(project.glossary));
  const machine = new Map<string, string | undefined>();
  for (const article of project.articles) {
    for (const segment of article.segments) {
      const entry = memory.lookupKey(segment.key, config.targetLang);
      if (entry?.origin === 'deepl') machine.set(segment.key, entry.settings);
    }
  }
  const otherSettings = [...machine.values()].filter((s) => s !== hash).length;
  return { hash, deepl: config.deepl, machineTranslations: machine.size, otherSettings };
}

/** The settings in a few words: what is set, DeepL's defaults for the rest. */
export function describeSettings(s: DeepLSettings): string {
  const parts = [
    s.formality && `formality ${s.formality}`,
    s.modelType && `model ${s.modelType}`,
    s.customInstructions?.length && `${s.customInstructions.length} custom instruction${s.customInstructions.length === 1 ? '' : 's'}`,
    s.styleRule &&
      `style rule (${Object.values(s.styleRule.configuredRules).reduce((n, r) => n + Object.keys(r).length, 0)} configured, ${s.styleRule.customInstructions.length} instructions)`,
    s.tagHandlingVersion && `tag handling ${s.tagHandlingVersion}`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(', ') : "DeepL's defaults";
}

function toEstimate(
  articles: number,
  plan: TranslationPlan,
  usage: EngineUsage | undefined,
  usageError: DiglotError | undefined,
): Omit<Estimate, 'settings' | 'unimportedEdits'> {
  const billedCharacters = plan.billableCharacters;
  let usageOut: Estimate['usage'] = null;
  if (usage) {
    const limit = usage.characterLimit ?? null;
    const remaining = limit === null ? null : Math.max(0, limit - usage.characterCount);
    const fits = remaining === null || billedCharacters <= remaining;
    usageOut = {
      characterCount: usage.characterCount,
      characterLimit: limit,
      remaining,
      fits,
      ...(fits ? {} : { withinLimit: sentWithin(plan, remaining ?? 0) }),
    };
  }
  return {
    articles,
    segments: plan.segments,
    fromMemory: plan.fromMemory,
    copied: plan.copied,
    newSegments: plan.pendingSegments,
    distinctNewTexts: plan.uniqueTexts,
    billedCharacters,
    requests: plan.batches.length,
    usage: usageOut,
    usageError: usageError?.message ?? null,
  };
}

/**
 * The requests a build sends within `limit` characters: in order, each that fits in what is left
 * (one that does not waits for a later run).
 */
function sentWithin(plan: TranslationPlan, limit: number): { requests: number; characters: number } {
  let requests = 0;
  let characters = 0;
  for (const batch of plan.batches) {
    if (characters + batch.characters > limit) continue;
    requests++;
    characters += batch.characters;
  }
  return { requests, characters };
}

/** What `--max-characters` with the characters left would translate, for a run that does not fit. */
function withinAdvice(usage: NonNullable<Estimate['usage']>): string {
  const left = usage.remaining ?? 0;
  const within = usage.withinLimit ?? { requests: 0, characters: 0 };
  if (within.requests === 0) return `No request fits in the ${formatCount(left)} characters left: nothing can be translated this period.`;
  return (
    `\`diglot build --max-characters ${left}\` translates what fits: ${counted(within.requests, 'request')} ` +
    `(${formatCount(within.characters)} characters), each in its turn that fits in what is left.`
  );
}

function formatEstimate(e: Estimate, hasKey: boolean): string {
  const n = formatCount;
  const lines = [
    `Articles:              ${n(e.articles)}`,
    `Segments:              ${n(e.segments)}`,
    `  in the memory:       ${n(e.fromMemory)}`,
    ...(e.copied > 0 ? [`  copied (no words):   ${n(e.copied)}`] : []),
    `  new:                 ${n(e.newSegments)} (${n(e.distinctNewTexts)} distinct text${e.distinctNewTexts === 1 ? '' : 's'} to send)`,
    `Characters to bill:    ${n(e.billedCharacters)}`,
    `Requests:              ${n(e.requests)}`,
    `DeepL settings:        ${describeSettings(e.settings.deepl)} (#${e.settings.hash}, with the glossary)`,
  ];
  const { machineTranslations, otherSettings } = e.settings;
  if (machineTranslations > 0)
    lines.push(
      otherSettings === 0
        ? `  made with them:      all ${n(machineTranslations)} machine translations in use`
        : `  made otherwise:      ${n(otherSettings)} of ${n(machineTranslations)} machine translations in use (\`diglot retranslate --settings-changed\` re-sends them)`,
    );
  if (e.usage) {
    const { characterCount, characterLimit, remaining, fits } = e.usage;
    lines.push(
      characterLimit === null
        ? `DeepL usage:           ${n(characterCount)} characters this period, no limit`
        : `DeepL usage:           ${n(characterCount)} of ${n(characterLimit)} characters this period (${n(remaining ?? 0)} left)`,
      fits
        ? `This run fits${remaining === null ? '' : `: ${n((remaining ?? 0) - e.billedCharacters)} characters would be left`}.`
        : `This run does NOT fit: it needs ${counted(e.billedCharacters - (remaining ?? 0), 'character')} more than are left. ` +
            withinAdvice(e.usage),
    );
  } else if (!hasKey) {
    lines.push("DeepL usage:           not checked (set DEEPL_AUTH_KEY to compare with the account's limit)");
  }
  return `${lines.join('\n')}\n`;
}
