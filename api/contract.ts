/**
 * The one typed contract between the UI and the back end: every request (name -> params and
 * result) and every event pushed to the UI (name -> payload), each defined once as a valibot
 * schema in api/contract/<area>.ts; the TypeScript types are inferred from the schemas. The
 * service implements the contract once; Electron IPC, the browser-mode WebSocket and tests are
 * transports over it, and validate params with `validateParams`.
 *
 * Conventions: params are always a JSON object (`{}` when there are none) and reject unknown
 * fields; ids of database rows are numbers (branded in TypeScript), job ids of in-memory jobs are
 * strings; class-indexed arrays have length 8 in CLASS_NAMES order; label-code-indexed arrays
 * have length 12 in LABEL_CODE_NAMES order; times are ISO-8601 strings.
 */
export * from './contract/analysis.ts';
export * from './contract/annotators.ts';
export * from './contract/errors.ts';
export * from './contract/evaluation.ts';
export * from './contract/events.ts';
export * from './contract/export.ts';
export * from './contract/face-map.ts';
export * from './contract/health.ts';
export { CancelledSchema, JOB_STATUSES, NoParamsSchema, type JobStatus, type NoParams } from './contract/fields.ts';
export * from './contract/imports.ts';
export * from './contract/projects.ts';
export * from './contract/requests.ts';
export * from './contract/review-face.ts';
export * from './contract/review-tools.ts';
export * from './contract/review.ts';
export * from './contract/training.ts';
export { checkResult, describe, formatIssue, payloadBreach, validateParams } from './contract/validate.ts';
