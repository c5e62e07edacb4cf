// Who accepts findings in `review import`, when the command does not say: the reviewer's name from
// the environment or from git, as a commit would record it.
import { execFileSync } from 'node:child_process';

/**
 * The reviewer's name: `DIGLOT_REVIEWER` when set, else git's `user.name` as seen from `root`
 * (the repository's, the user's or the system's setting), else `undefined` (no git, or no name set).
 */
export function reviewerName(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env['DIGLOT_REVIEWER']?.trim();
  if (named) return named;
  try {
    const name = execFileSync('git', ['config', 'user.name'], {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return name === '' ? undefined : name;
  } catch {
    // git missing, or no user.name: the acceptance is recorded without a name.
    return undefined;
  }
}
