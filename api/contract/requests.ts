/**
 * Every request of the contract: name -> {params, result} schemas, gathered from the area files.
 * The TypeScript types (`ParamsOf`, `ResultOf`) and the name list the transports and the preload
 * are generated from are derived from this one map, so a request cannot exist without its
 * schemas, nor a schema without its name.
 */
import type * as v from 'valibot';
import { analysisRequests } from './analysis.ts';
import { annotatorRequests } from './annotators.ts';
import { evaluationRequests } from './evaluation.ts';
import { exportRequests } from './export.ts';
import { importRequests } from './imports.ts';
import { projectRequests } from './projects.ts';
import { reviewRequests } from './review.ts';
import { trainingRequests } from './training.ts';

/** What one request is: the schema its params are validated with, and the schema of its result. */
export interface RequestSchemas {
  params: v.GenericSchema<unknown, unknown>;
  result: v.GenericSchema<unknown, unknown>;
}

/** The areas, each a file; a name must not appear in two of them (tested). */
export const REQUEST_AREAS = {
  projects: projectRequests,
  imports: importRequests,
  training: trainingRequests,
  evaluation: evaluationRequests,
  review: reviewRequests,
  annotators: annotatorRequests,
  analysis: analysisRequests,
  export: exportRequests,
} satisfies Record<string, Record<string, RequestSchemas>>;

export const REQUESTS = {
  ...projectRequests,
  ...importRequests,
  ...trainingRequests,
  ...evaluationRequests,
  ...reviewRequests,
  ...annotatorRequests,
  ...analysisRequests,
  ...exportRequests,
} satisfies Record<string, RequestSchemas>;

type Schemas = typeof REQUESTS;
export type RequestName = keyof Schemas;
/** Per request, the params the service receives (after validation) and the result it answers with. */
export type Requests = { [M in RequestName]: { params: v.InferOutput<Schemas[M]['params']>; result: v.InferOutput<Schemas[M]['result']> } };
export type ParamsOf<M extends RequestName> = Requests[M]['params'];
export type ResultOf<M extends RequestName> = Requests[M]['result'];

/** Every request name; the preload and the IPC handlers are generated from it. */
export const REQUEST_NAMES = Object.keys(REQUESTS) as RequestName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUESTS, name);
}
