/** Every event the service pushes to the UI: name -> payload. Transports forward only these. */
import * as v from 'valibot';
import { modelId, runId } from './fields.ts';
import { AnalysisDoneEventSchema, AnalysisProgressEventSchema, RelearnDoneEventSchema, RelearnProgressEventSchema } from './analysis.ts';
import { MapDoneEventSchema, MapProgressEventSchema } from './face-map.ts';
import { HealthProgressEventSchema } from './health.ts';
import { ImportProgressEventSchema, ImportReportSchema } from './imports.ts';
import { ProjectInfoSchema, ProjectProgressSchema } from './projects.ts';
import { EpochRecordSchema, RUN_STATUSES, StructureEventSchema, TrainingProgressEventSchema } from './training.ts';

export const JOB_KINDS = ['import', 'training', 'evaluation', 'analysis', 'relearn', 'project'] as const;

export const EVENTS = {
  'project:changed': v.object({ project: v.nullable(ProjectInfoSchema) }),
  'project:progress': ProjectProgressSchema,
  'import:progress': ImportProgressEventSchema,
  'import:done': ImportReportSchema,
  'training:progress': TrainingProgressEventSchema,
  'training:epoch': v.object({ runId: runId(), epoch: EpochRecordSchema }),
  'training:structure': v.object({ runId: runId(), event: StructureEventSchema }),
  'training:done': v.object({ runId: runId(), status: v.picklist(RUN_STATUSES), modelId: v.nullable(modelId()), error: v.nullable(v.string()) }),
  'analysis:progress': AnalysisProgressEventSchema,
  'analysis:done': AnalysisDoneEventSchema,
  'relearn:progress': RelearnProgressEventSchema,
  'relearn:done': RelearnDoneEventSchema,
  'map:progress': MapProgressEventSchema,
  'map:done': MapDoneEventSchema,
  'health:progress': HealthProgressEventSchema,
  'job:error': v.object({ jobId: v.string(), kind: v.picklist(JOB_KINDS), message: v.string() }),
};

export type Events = { [E in keyof typeof EVENTS]: v.InferOutput<(typeof EVENTS)[E]> };
export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = Events[E];
/** Every event name, in the order above. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}
