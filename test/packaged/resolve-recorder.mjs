// Loader hooks for the packaged-mode smoke test: every module URL the process resolves (its
// worker threads included: they inherit --import) is appended to the file named by
// AFFECT_RELEARN_RESOLVE_LOG, so the test can prove that nothing resolved to a TypeScript
// source or to a devDependency.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const out = process.env.AFFECT_RELEARN_RESOLVE_LOG;
if (!out) throw new Error('resolve-recorder: AFFECT_RELEARN_RESOLVE_LOG is not set');

/** The hook itself, run by Node in its loader thread. */
const hooks = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(out, r.url + '\\n');
  return r;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url, { data: { out } });
appendFileSync(out, `# thread ${isMainThread ? 'main' : 'worker'}\n`);
