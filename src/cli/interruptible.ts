// Ctrl-C (SIGINT) and SIGTERM during a command that sends to DeepL (build, retranslate) or serves the
// review app: an abort that lets the work under way finish; a second signal ends the process.
import { EXIT } from '../util/errors.js';
import type { CommandContext } from './context.js';

/**
 * Runs `work` with Ctrl-C (SIGINT) and SIGTERM turned into an abort: the command stops sending,
 * stores what comes back, cleans up and releases the lock. A second signal ends the process at
 * once (the next run cleans up after it).
 */
export async function whileInterruptible<T>(
  ctx: CommandContext,
  work: (signal: AbortSignal) => Promise<T>,
  /** What is said on the first signal (`undefined`: nothing), after the signal's name. */
  stopping: string | undefined = 'stopping — no new requests; the answers on their way are kept (press Ctrl-C again to quit at once)',
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // Said before it goes (stderr is written synchronously on a terminal, a file and a pipe).
      ctx.log.warn(
        `${signal} again: quitting at once; answers still on their way are not kept (DeepL may bill them), ` +
          'and the next run removes what this one leaves (its lock, temp files)',
      );
      process.exit(EXIT.interrupted);
    }
    if (stopping !== undefined) ctx.log.warn(`${signal}: ${stopping}`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
