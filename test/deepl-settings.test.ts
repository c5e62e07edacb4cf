// The config's `deepl` settings: validated with messages at their lines, sent on every request (asserted on
// the wire), the style rule kept on DeepL by content hash, recorded per memory entry, shown by `estimate`,
// and applied to older machine translations only by `retranslate --settings-changed`.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Estimate } from '../src/cli/estimate-command.js';
import type { RetranslateResult } from '../src/cli/retranslate-command.js';
import { loadConfig } from '../src/config/load-config.js';
import { loadProject } from '../src/load-project.js';
import { formatEntry, type MemoryEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { formatMessage } from '../src/util/format-message.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer, type TranslateRequest } from './deepl-server.js';
import { configOf, read, runCli, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

test('the "deepl" settings are validated, each problem at its own line', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-settings-'));
  try {
    const long = 'x'.repeat(301);
    writeFileSync(
      path.join(dir, 'diglot.config.json'),
      `{
  "title": "T",
  "deepl": {
    "formality": "formal",
    "modelType": "quality_optimized",
    "customInstructions": [
      "Use American spelling",
      "${long}"
    ],
    "styleRule": { "configuredRules": { "numbers": { "decimal_separator": 3 } } },
    "tagHandlingVersion": "v3",
    "colour": 1
  }
}
`,
    );
    const { value, errors, warnings } = await loadConfig(dir);
    assert.equal(value, undefined);
    assert.deepEqual(errors.map(formatMessage), [
      'diglot.config.json:4: "deepl.formality": must be one of "default", "more", "less", "prefer_more", "prefer_less" (got "formal")',
      'diglot.config.json:8: "deepl.customInstructions[1]": is 301 characters long; DeepL takes at most 300',
      'diglot.config.json:10: "deepl.styleRule.configuredRules.numbers.decimal_separator": must be a non-empty string (got 3)',
      'diglot.config.json:11: "deepl.tagHandlingVersion": must be one of "v1", "v2" (got "v3")',
    ]);
    assert.deepEqual(warnings.map(formatMessage), [
      'diglot.config.json:12: "deepl.colour": unknown key, ignored (known: formality, modelType, customInstructions, styleRule, tagHandlingVersion)',
    ]);

    // Eleven instructions are one too many; "more" for English is warned of; a valid block is kept as written.
    const eleven = Array.from({ length: 11 }, (_, i) => `Instruction ${i + 1}`);
    writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ deepl: { customInstructions: eleven } }, null, 2));
    const tooMany = await loadConfig(dir);
    assert.deepEqual(tooMany.errors.map(formatMessage), [
      'diglot.config.json:3: "deepl.customInstructions": holds 11 instructions; DeepL takes at most 10',
    ]);
    const deepl = {
      formality: 'more',
      modelType: 'prefer_quality_optimized',
      customInstructions: ['Use American spelling'],
      styleRule: { customInstructions: [{ label: 'Tone', prompt: 'Use a sober tone' }] },
      tagHandlingVersion: 'v1',
    };
    writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ deepl }, null, 2));
    const valid = await loadConfig(dir);
    assert.deepEqual(valid.errors, []);
    assert.deepEqual(valid.value?.deepl, {
      ...deepl,
      styleRule: { configuredRules: {}, customInstructions: deepl.styleRule.customInstructions },
    });
    assert.match(
      valid.warnings.map(formatMessage).join('\n'),
      /^diglot\.config\.json:3: "deepl\.formality": DeepL may refuse "more" for English/,
    );
    // No "deepl" key: nothing is sent beyond diglot's own options.
    writeFileSync(path.join(dir, 'diglot.config.json'), '{}');
    assert.deepEqual((await loadConfig(dir)).value?.deepl, {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const SETTINGS = {
  formality: 'prefer_less',
  modelType: 'quality_optimized',
  customInstructions: ['Use American spelling', 'Write NATO in capitals'],
  styleRule: {
    configuredRules: { punctuation: { periods_in_academic_degrees: 'do_not_use' } },
    customInstructions: [{ label: 'Tone', prompt: 'Use a sober, factual tone' }],
  },
  tagHandlingVersion: 'v2',
};

/** Writes the project's config with these `deepl` settings. */
function setSettings(dir: string, deepl: unknown): void {
  const file = path.join(dir, 'diglot.config.json');
  writeFileSync(file, JSON.stringify({ ...(JSON.parse(read(file)) as object), deepl }, null, 2));
}

/** Asserts that every translate request since the last reset carried exactly these settings, and returns them. */
function assertOnTheWire(deepl: typeof SETTINGS, styleId: string): TranslateRequest[] {
  const requests = server.translateRequests();
  assert.ok(requests.length > 0);
  for (const r of requests) {
    assert.deepEqual(
      {
        formality: r.translate.formality,
        modelType: r.translate.modelType,
        customInstructions: r.translate.customInstructions,
        styleId: r.translate.styleId,
        tagHandlingVersion: r.translate.tagHandlingVersion,
      },
      {
        formality: deepl.formality,
        modelType: deepl.modelType,
        customInstructions: deepl.customInstructions,
        styleId,
        tagHandlingVersion: deepl.tagHandlingVersion,
      },
    );
    assert.equal(r.status, 200);
  }
  return requests;
}

const estimateOf = async (dir: string): Promise<Estimate> =>
  JSON.parse((await runCli(['estimate', '--json', '--root', dir])).stdout) as Estimate;

test('every request carries the configured settings; a change shows in estimate and only retranslate --settings-changed applies it', async () => {
  const project = sampleProject({ emptyMemory: true });
  const env = { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url };
  const root = ['--root', project.dir];
  try {
    server.styleRules.clear();
    setSettings(project.dir, SETTINGS);
    server.reset();
    const built = await runCli(['build', ...root], env);
    assert.equal(built.code, 0, built.stderr);
    // The style rule was made once, from the config, and every request names it.
    const [rule, ...others] = server.styleRules.values();
    assert.ok(rule);
    assert.equal(others.length, 0);
    assert.match(rule.name, /^diglot\/.+ #[0-9a-f]{12}$/);
    const firstName = rule.name;
    assert.deepEqual(rule.configuredRules, SETTINGS.styleRule.configuredRules);
    assert.deepEqual(
      rule.customInstructions.map(({ label, prompt }) => ({ label, prompt })),
      SETTINGS.styleRule.customInstructions,
    );
    const firstRun = assertOnTheWire(SETTINGS, rule.styleId);
    const oldKeys = new Set(firstRun.flatMap((r) => r.translate.texts));

    // Every entry records the settings' hash; estimate shows it, and nothing made otherwise.
    const e1 = await estimateOf(project.dir);
    assert.equal(e1.settings.otherSettings, 0);
    assert.equal(e1.settings.machineTranslations, oldKeys.size);
    assert.deepEqual(e1.settings.deepl, SETTINGS);
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const entries = (await TranslationMemory.open(memoryFile)).memory.entries();
    assert.ok(entries.every((e) => e.settings === e1.settings.hash));

    // An unchanged configuration: a second build sends nothing and leaves the style rule alone.
    server.reset();
    assert.equal((await runCli(['build', ...root], env)).code, 0);
    assert.equal(server.translateRequests().length, 0);
    assert.deepEqual(
      server.requests.filter((r) => r.path.startsWith('/v3/style_rules')).map((r) => r.method),
      [],
      'nothing to send, nothing asked of DeepL',
    );

    // The settings change, and a new article arrives.
    const changed = {
      ...SETTINGS,
      formality: 'prefer_more',
      customInstructions: [...SETTINGS.customInstructions, 'Spell out numbers below ten'],
      styleRule: { ...SETTINGS.styleRule, customInstructions: [{ label: 'Tone', prompt: 'Use a plain, direct tone' }] },
    };
    setSettings(project.dir, changed);
    writeFileSync(path.join(project.dir, 'sources', '900_neu.md'), '# Ein neuer Artikel\n\nEin Absatz, den es nur hier gibt.\n');
    const e2 = await estimateOf(project.dir);
    assert.notEqual(e2.settings.hash, e1.settings.hash);
    assert.equal(e2.settings.otherSettings, oldKeys.size, 'every machine translation was made otherwise');
    const shown = await runCli(['estimate', ...root]);
    assert.match(shown.stdout, /DeepL settings: +formality prefer_more, model quality_optimized, 3 custom instructions, style rule/);
    assert.match(shown.stdout, new RegExp(`made otherwise: +${oldKeys.size} of ${oldKeys.size} machine translations in use`));

    // The build translates only the new article: the memory is not invalidated by the change.
    server.reset();
    assert.equal((await runCli(['build', ...root], env)).code, 0);
    assert.ok(server.translateRequests().every((r) => r.translate.texts.every((t) => !oldKeys.has(t))));
    // A changed style rule is one of its own: the first, which a build elsewhere may be using, is left as it was.
    assert.equal(server.styleRules.size, 2);
    const made = [...server.styleRules.values()].find((r) => r.styleId !== rule.styleId);
    assert.ok(made);
    assert.notEqual(made.name, firstName);
    assert.deepEqual(
      made.customInstructions.map(({ label, prompt }) => ({ label, prompt })),
      changed.styleRule.customInstructions,
    );
    assert.equal(server.styleRules.get(rule.styleId)?.name, firstName);
    assert.deepEqual(
      server.requests.filter((r) => r.path.startsWith('/v3/style_rules')).map((r) => r.method),
      ['GET', 'POST'],
      'listed, then one made: nothing changed in place',
    );
    assertOnTheWire(changed, made.styleId);

    // One old machine translation becomes a human one: never re-sent.
    const config = await configOf(project.dir);
    const { memory } = await loadProject(config, new MemoryLogger());
    const human = memory.entries().find((e) => e.origin === 'deepl' && e.settings === e1.settings.hash) as MemoryEntry;
    appendFileSync(memoryFile, `${formatEntry({ ...human, origin: 'human', target: 'By hand.' })}\n`);

    // A dry run shows what would be sent, and sends nothing.
    server.reset();
    const dry = JSON.parse(
      (await runCli(['retranslate', '--settings-changed', '--dry-run', '--json', ...root])).stdout,
    ) as RetranslateResult;
    assert.equal(dry.texts, oldKeys.size - 1);
    assert.equal(server.requests.length, 0);

    // Sent: exactly the machine translations made with the old settings, with the new ones on the wire.
    server.reset();
    const sent = await runCli(['retranslate', '--settings-changed', '--json', ...root], env);
    assert.equal(sent.code, 0, sent.stderr);
    const result = JSON.parse(sent.stdout) as RetranslateResult;
    assert.equal(result.settings, e2.settings.hash);
    const resent = assertOnTheWire(changed, made.styleId).flatMap((r) => r.translate.texts);
    assert.equal(new Set(resent).size, resent.length, 'each text once');
    assert.equal(resent.length, oldKeys.size - 1, 'every old machine translation but the human one');
    assert.ok(
      resent.every((t) => oldKeys.has(t)),
      'none of the new article',
    );
    const e3 = await estimateOf(project.dir);
    assert.equal(e3.settings.otherSettings, 0);
    const after = (await TranslationMemory.open(memoryFile)).memory;
    assert.equal(after.lookupKey(human.source, 'en-US')?.target, 'By hand.');
    for (const e of after.entries().filter((x) => x.origin === 'deepl')) {
      assert.equal(e.settings, e2.settings.hash);
      if (e.history) assert.equal(e.history.length, 1, 'the earlier English kept once');
    }

    // An entry written before diglot recorded settings counts as made otherwise.
    const oldest = after.entries().find((e) => e.origin === 'deepl') as MemoryEntry;
    const { settings: _, ...unrecorded } = oldest;
    appendFileSync(memoryFile, `${formatEntry(unrecorded)}\n`);
    assert.equal((await estimateOf(project.dir)).settings.otherSettings, 1);
    server.reset();
    assert.equal((await runCli(['retranslate', '--settings-changed', ...root], env)).code, 0);
    assert.equal(server.textsSent().length, 1);
    assert.equal((await TranslationMemory.open(memoryFile)).memory.lookupKey(oldest.source, 'en-US')?.settings, e2.settings.hash);
  } finally {
    project.cleanup();
  }
});
