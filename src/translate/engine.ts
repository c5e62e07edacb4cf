/** One request's worth of texts: at most 50, under 128 KiB encoded. */
export interface EngineRequest {
  /** Texts as XML (tag handling on): inline markup as tags, `&` and `<` escaped. */
  texts: string[];
  /** Article title and lead: helps DeepL, applies to every text, not billed. */
  context?: string;
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
  /** Makes the glossary available (creating it only when its content is new); idempotent. */
  prepareGlossary(entries: ReadonlyArray<[string, string]>): Promise<void>;
  /** Translates one request; resolves with one result per text, in order, or rejects. */
  translate(request: EngineRequest): Promise<EngineResult[]>;
  usage(): Promise<EngineUsage>;
}
