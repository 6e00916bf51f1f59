/**
 * The project store's public surface: open a project file, then pass the handle to the store
 * functions. Everything here is synchronous (better-sqlite3) except the import writer.
 */
export * from './connection.ts';
export * from './migrate.ts';
export * from './project-store.ts';
export * from './annotator-store.ts';
export * from './sample-validation.ts';
export * from './sample-store.ts';
export * from './training-matrix.ts';
export * from './import-store.ts';
export * from './relabel-store.ts';
export * from './model-paths.ts';
export * from './run-store.ts';
export * from './model-store.ts';
export * from './child-group-store.ts';
export * from './prediction-store.ts';
export * from './score-store.ts';
export * from './evaluation-store.ts';
export * from './review-queue-store.ts';
export * from './review-disagreement.ts';
export * from './review-queue-query.ts';
export * from './review-lookups.ts';
export * from './project-summary.ts';
export * from './sample-browse.ts';
export * from './export-store.ts';
export * from './child-decision-store.ts';
export * from './review-decision-summary.ts';
