/** One request's worth of texts: at most 50, under 128 KiB encoded. */
export interface EngineRequest {
  /** Texts as XML (tag handling on): inline markup as tags, `&` and `<` escaped. */
  texts: string[];
  /** Article title and lead: helps DeepL, applies to every text, not billed. */
  context?: string;
  /** Aborted (Ctrl-C): no attempt is made after that, and a retry's wait ends at once. */
  signal?: AbortSignal;
}

/** A translated text, in the order of the request's texts. */
export interface EngineResult {
  text: string;
  billedCharacters: number;
}

/** DeepL's account usage. */
export interface EngineUsage {
  characterCount: number;
  characterLimit: number | undefined;
}

/**
 * A machine translation engine behind a small interface: the pipeline never sees deepl-node.
 * Errors are `EngineError`s, already worded for the user.
 */
export interface Engine {
  readonly name: string;
  /**
   * Makes the glossary (and the configured style rule) available, creating or updating them only
   * when their content is new; idempotent.
   */
  prepare(glossaryEntries: ReadonlyArray<[string, string]>): Promise<void>;
  /**
   * The short hash of the engine's settings with this glossary, recorded on every entry it makes
   * (`settings` in the memory): see `settingsHash`.
   */
  settingsHash(glossaryEntries: ReadonlyArray<[string, string]>): string;
  /** Translates one request; resolves with one result per text, in order, or rejects. */
  translate(request: EngineRequest): Promise<EngineResult[]>;
  usage(): Promise<EngineUsage>;
}
