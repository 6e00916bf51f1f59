/**
 * Outlier scores from a trained DBN (issue 13): each face's free energy under the first RBM
 * layer, and the distance of its first-layer features (P(h = 1 | v)) to the centroid of all
 * faces and of its own class. Two paged passes over the pixels (centroids first, distances
 * second), so memory stays one page of faces whatever the project's size.
 */
import type { ModelId } from '../../../api/domain.ts';
import { CentroidScorer } from '../../../core/health/centroid-outliers.ts';
import { firstRbmOf, freeEnergies, rbmInput, type FirstRbm } from '../../../core/health/free-energy.ts';
import { hiddenProbabilitiesGraph } from '../../../core/models/rbm/rbm-graphs.ts';
import { compiled } from '../../../core/runtime/select-runtime.ts';
import { loadSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { samplePixelPage } from '../../../db/health-store.ts';
import { getModel, listModels, type StoredModel, networkPath } from '../../../db/model-store.ts';

const PAGE = 512;

export interface ModelScores {
  modelId: ModelId;
  /** Per face, in the order of `index`: free energy, feature distance to the global and to the class centroid (NaN without a class). */
  freeEnergy: Float64Array;
  featureGlobal: Float64Array;
  featureClass: Float64Array;
}

/** The DBN to score with: `modelId` when given (must be a DBN), else the latest Adaptive DBN trained on the project, else null. */
export function healthModel(db: ProjectDb, modelId?: number): StoredModel | null {
  if (modelId !== undefined) {
    const m = getModel(db, modelId);
    if (!m) throw new Error(`${db.path}: no model ${modelId}`);
    if (m.kind !== 'adbn' && m.kind !== 'dbn') throw new Error(`${db.path}: model ${modelId} is a ${m.kind}; outlier scores need an Adaptive DBN or a DBN`);
    return m;
  }
  const roots = listModels(db, { parentModelId: null }).filter((m) => m.kind === 'adbn' && m.status !== 'discarded' && m.structure.role !== 'out-of-fold');
  return roots.length ? roots[roots.length - 1] : null;
}

function hidden(rbm: FirstRbm, v: Float32Array, rows: number): Float32Array {
  return compiled('rbm_hidden', hiddenProbabilitiesGraph).run({
    v: { data: v.subarray(0, rows * rbm.visible), dims: [rows, rbm.visible] },
    w: { data: rbm.w, dims: [rbm.visible, rbm.hidden] },
    c: { data: rbm.c, dims: [rbm.hidden] },
  }).h.data;
}

/**
 * Scores every face with the model; `index` maps a sample id to its position in the output,
 * `classOf` gives its class (0..7) or null. `tick` is called after each page (progress, yield).
 */
export async function modelOutlierScores(
  db: ProjectDb,
  model: StoredModel,
  index: Map<number, number>,
  classOf: (position: number) => number | null,
  tick: (done: number) => Promise<void>,
): Promise<ModelScores> {
  const rbm = firstRbmOf(await loadSnapshot(networkPath(model, 'score outliers by free energy')), `model ${model.id}`);
  const n = index.size;
  const out: ModelScores = { modelId: model.id, freeEnergy: new Float64Array(n), featureGlobal: new Float64Array(n), featureClass: new Float64Array(n) };
  const scorer = new CentroidScorer(rbm.hidden);
  const v = new Float32Array(PAGE * rbm.visible);
  let done = 0;
  for (const pass of ['centroids', 'distances'] as const) {
    let after = 0;
    for (;;) {
      const page = samplePixelPage(db, after, PAGE);
      if (page.length === 0) break;
      page.forEach((s, r) => rbmInput(rbm, new Uint8Array(s.pixels.buffer, s.pixels.byteOffset, s.pixels.length), v.subarray(r * rbm.visible, (r + 1) * rbm.visible)));
      const h = hidden(rbm, v, page.length);
      if (pass === 'centroids') {
        const fe = freeEnergies(rbm, v, page.length);
        page.forEach((s, r) => {
          const i = index.get(s.id)!;
          out.freeEnergy[i] = fe[r];
          scorer.add(h.subarray(r * rbm.hidden, (r + 1) * rbm.hidden), classOf(i));
        });
      } else {
        page.forEach((s, r) => {
          const i = index.get(s.id)!;
          const d = scorer.score(h.subarray(r * rbm.hidden, (r + 1) * rbm.hidden), classOf(i));
          out.featureGlobal[i] = d.global;
          out.featureClass[i] = d.cls;
        });
      }
      after = page[page.length - 1].id;
      done += page.length;
      await tick(done);
    }
  }
  return out;
}
