/**
 * Export for Label Studio: a JSON list of tasks in Label Studio's import format, one per face,
 * each with `data` (the image and the face's ids and labels), the face's current label as an
 * annotation (when it is one of the eight classes) and, with a model, the model's class as a
 * prediction (`predictions[].result[]` of type "choices", `score` its probability), so Label
 * Studio shows the model's pre-annotation beside the label to review. Beside the tasks a
 * labelling config (XML) with the tag names the results use.
 *
 * Images are PNG data URIs of the face crops stored in the project, not paths: Label Studio
 * can only open paths it serves itself (its local-files storage, set up per machine), while a
 * data URI shows the face the app reviewed on any Label Studio, and the project may no longer
 * have the original files. The source reference and original path are in `data` to go back.
 */
import sharp from 'sharp';
import { CLASS_NAMES, isClassLabel, LABEL_CODE_NAMES, type ModelId } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getModel } from '../../../db/model-store.ts';

/** The names the results refer to (`from_name` / `to_name`) and the config declares. */
export const LS_IMAGE = 'image';
export const LS_CHOICES = 'emotion';

export const LABEL_STUDIO_CONFIG = `<View>
  <Image name="${LS_IMAGE}" value="$image"/>
  <Choices name="${LS_CHOICES}" toName="${LS_IMAGE}" choice="single" showInLine="true">
${CLASS_NAMES.map((c) => `    <Choice value="${c}"/>`).join('\n')}
  </Choices>
</View>
`;

interface Row {
  id: number;
  source_ref: string;
  original_path: string | null;
  split: string;
  width: number;
  height: number;
  pixels: Buffer;
  given_label: number | null;
  current_label: number | null;
  predicted: number | null;
  p: number | null;
}

const choice = (label: number) => ({ from_name: LS_CHOICES, to_name: LS_IMAGE, type: 'choices', value: { choices: [CLASS_NAMES[label]] } });
const codeName = (code: number | null) => (code === null ? null : LABEL_CODE_NAMES[code]);

export interface LabelStudioTask {
  data: Record<string, string | number | null>;
  annotations: { result: ReturnType<typeof choice>[]; ground_truth: boolean }[];
  predictions: { model_version: string; score: number; result: ReturnType<typeof choice>[] }[];
}

/** The tasks of every face (with a model: every face it has a score for), by id. */
export async function labelStudioTasks(db: ProjectDb, modelId?: ModelId | number): Promise<{ tasks: LabelStudioTask[]; modelVersion: string | null }> {
  const model = modelId === undefined ? null : getModel(db, modelId);
  if (modelId !== undefined && !model) throw new Error(`export labelstudio: no model ${modelId} in this project`);
  const rows = db
    .stmt<[{ model: number | null }], Row>(
      `SELECT s.id, s.source_ref, s.original_path, s.split, s.width, s.height, s.pixels, s.given_label, l.current_label,
              sc.predicted_label AS predicted, sc.max_softmax AS p
       FROM samples s JOIN sample_labels l ON l.sample_id = s.id
       ${model ? 'JOIN' : 'LEFT JOIN'} scores sc ON sc.model_id = @model AND sc.sample_id = s.id
       ORDER BY s.id`,
    )
    .all({ model: model?.id ?? null });
  const modelVersion = model ? `#${model.id} ${model.name}` : null;
  const tasks: LabelStudioTask[] = [];
  for (const r of rows) {
    const png = await sharp(r.pixels, { raw: { width: r.width, height: r.height, channels: 1 } }).png().toBuffer();
    tasks.push({
      data: {
        image: `data:image/png;base64,${png.toString('base64')}`,
        face_id: r.id,
        source_ref: r.source_ref,
        original_path: r.original_path,
        split: r.split,
        given_label: codeName(r.given_label),
        current_label: codeName(r.current_label),
      },
      annotations: isClassLabel(r.current_label) ? [{ result: [choice(r.current_label)], ground_truth: false }] : [],
      predictions: modelVersion && isClassLabel(r.predicted) && r.p !== null ? [{ model_version: modelVersion, score: r.p, result: [choice(r.predicted)] }] : [],
    });
  }
  return { tasks, modelVersion };
}
