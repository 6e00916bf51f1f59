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
import { faceMapRequests } from './face-map.ts';
import { healthRequests } from './health.ts';
import { importRequests } from './imports.ts';
import { projectRequests } from './projects.ts';
import { reviewToolRequests } from './review-tools.ts';
import { reviewRequests } from './review.ts';
import { trainingRequests } from './training.ts';

/** What one request is: the schema its params are validated with, and the schema of its result. */
export interface RequestSchemas {
  params: v.GenericSchema<unknown, unknown>;
  result: v.GenericSchema<unknown, unknown>;
}

/** The areas, each a file. */
export const REQUEST_AREAS = {
  projects: projectRequests,
  imports: importRequests,
  training: trainingRequests,
  evaluation: evaluationRequests,
  review: reviewRequests,
  reviewTools: reviewToolRequests,
  annotators: annotatorRequests,
  analysis: analysisRequests,
  export: exportRequests,
  faceMap: faceMapRequests,
  health: healthRequests,
} satisfies Record<string, Record<string, RequestSchemas>>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Areas = typeof REQUEST_AREAS;

/** One map of every area's requests; a name in two areas is an error here, not one silently replacing the other. */
function mergeAreas(areas: Areas): UnionToIntersection<Areas[keyof Areas]> {
  const all: Record<string, RequestSchemas> = {};
  for (const [area, requests] of Object.entries(areas)) {
    for (const [name, schemas] of Object.entries(requests)) {
      if (name in all) throw new Error(`the contract defines the request ${name} twice (again in ${area})`);
      all[name] = schemas;
    }
  }
  return all as UnionToIntersection<Areas[keyof Areas]>;
}

export const REQUESTS = mergeAreas(REQUEST_AREAS);

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
