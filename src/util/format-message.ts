// Prints a Message the one way diglot prints problems and findings: `file:line:column: message`.
import type { Message } from '../model.js';

/**
 * `file:line[:column]: message`, or `file:line:column: rule [segment]: message` for a finding at a
 * segment; a message about the file as a whole (line 0) is `file: message`.
 */
export function formatMessage(m: Message): string {
  const at = m.line > 0 ? `${m.file}:${m.line}${m.column !== undefined ? `:${m.column}` : ''}` : m.file;
  return `${at}: ${m.segmentId !== undefined ? `${m.rule} [${m.segmentId}]: ` : ''}${m.message}`;
}

/** Messages as {@link formatMessage} prints them, each once: one said again at the same place counted (`(5 times)`). */
export function formatMessages(messages: Iterable<Message>): string[] {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const line = formatMessage(m);
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => (n > 1 ? `${line} (${n} times)` : line));
}
