/**
 * A trained model as an ONNX inference graph (`model.onnx`) plus `metadata.json`: the graph is
 * the model's own inference graph from core/models with its weights baked in as constants,
 * readable by ONNX Runtime in any language, Netron or any ONNX tool. It takes `pixels`, the
 * face crop scaled to [0, 1] (flattened for DBN kinds; [N, 1, H, W] for the CNN), and returns
 * `probabilities` over the classes in metadata order. The metadata is also stored in the ONNX
 * file's metadata_props.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelId } from '../../../api/domain.ts';
import { encodeOnnxModel } from '../../../core/graph/onnx-encode.ts';
import type { GraphDef } from '../../../core/graph/graph.ts';
import { cnnExportGraph } from '../../../core/models/cnn/cnn-export.ts';
import { mlpPredictGraph } from '../../../core/models/mlp/mlp-graphs.ts';
import { loadSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { networkPath } from '../../../db/model-store.ts';
import { dbnDenseLayers, modelExportMetadata } from './export.ts';
import { writeFileAtomic } from './export-target.ts';

type Snapshot = Awaited<ReturnType<typeof loadSnapshot>>;

/** The inference graph of a snapshot, weights as constants. */
export function inferenceGraphOf(snap: Snapshot): { graph: GraphDef; input: string } {
  if (snap.kind === 'cnn') {
    const { height: h, width: w } = snap.meta as { height: number; width: number };
    return { graph: cnnExportGraph(snap), input: `pixels [N, 1, ${h}, ${w}]: the face crop / 255 (NCHW); batch norm is folded into each convolution with its running statistics` };
  }
  const layers = dbnDenseLayers(snap).map((l) => ({ inputs: l.inputs, outputs: l.outputs, w: l.kernel, b: l.bias }));
  return { graph: mlpPredictGraph(layers.length, layers), input: `pixels [N, ${layers[0].inputs}]: the face crop / 255, flattened row-major; the training standardisation is folded into the first layer` };
}

export async function exportModelOnnx(db: ProjectDb, modelId: ModelId | number, dir: string): Promise<{ files: string[]; notes: string[]; format: 'onnx' }> {
  const { model, metadata } = modelExportMetadata(db, modelId);
  const snap = await loadSnapshot(networkPath(model, 'export a network as ONNX'));
  const { graph, input } = inferenceGraphOf(snap);
  metadata.format = 'onnx';
  metadata.preprocessing = input;
  metadata.output = 'probabilities [N, 8]: softmax over `classes`, in that order';
  const props = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  mkdirSync(dir, { recursive: true });
  const onnxPath = join(dir, 'model.onnx');
  writeFileAtomic(onnxPath, encodeOnnxModel(graph, props));
  writeFileAtomic(join(dir, 'metadata.json'), JSON.stringify(metadata, null, 1));
  return {
    files: [onnxPath, join(dir, 'metadata.json')],
    notes: [`ONNX (opset 17) inference graph: input ${input.split(':')[0]}, output probabilities [N, 8]; open it with onnxruntime (any language) or Netron`],
    format: 'onnx',
  };
}
