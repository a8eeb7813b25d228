/**
 * The environment a process step starts with. It is built from scratch rather than copied from the
 * server, so tokens and credentials in the server's environment never reach a step.
 */

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Returns PATH and LANG taken from the server (or safe defaults), HOME set to the attempt's workspace
 * and TMPDIR to its private temporary directory, overlaid with the step's own variables.
 */
export function buildStepEnv(
  stepEnv: Record<string, string>,
  directories: { workspace: string; tmp: string },
  serverEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    PATH: serverEnv.PATH || DEFAULT_PATH,
    HOME: directories.workspace,
    LANG: serverEnv.LANG || 'C.UTF-8',
    TMPDIR: directories.tmp,
    ...stepEnv,
  };
}
