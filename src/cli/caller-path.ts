import { isAbsolute, resolve } from 'node:path';

/**
 * A file argument of the CLI as its caller meant it. `npm run cli` runs the CLI in the package
 * root whichever directory it was called from, and keeps that directory in INIT_CWD, so a
 * relative path is resolved from there: `cd exports && npm run cli -- verify-audit audit.ndjson`
 * reads exports/audit.ndjson, not audit.ndjson in the package root. Run any other way (`node
 * dist/src/cli/main.js`, or from the package root), the path is left as given.
 */
export function callerPath(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const callerDir = env.npm_lifecycle_event === 'cli' ? env.INIT_CWD : undefined;
  if (!path || !callerDir || isAbsolute(path) || resolve(callerDir) === resolve(cwd)) return path;
  return resolve(callerDir, path);
}
