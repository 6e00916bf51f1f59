/**
 * A trained CNN as a standalone ONNX model: the eval-mode inference graph with BN folded into
 * the convolutions and every weight baked in as a constant, plus metadata saying what goes in
 * and what comes out. This is what `export model --format onnx` writes for a CNN; any ONNX
 * runtime can run it without this project.
 */
import { CLASS_NAMES } from '../../../api/domain.ts';
import type { GraphDef } from '../../graph/graph.ts';
import { encodeOnnxModel } from '../../graph/onnx-encode.ts';
import type { ModelSnapshot } from '../../train/types.ts';
import { resolveCnnConfig, type CnnConfig } from './cnn-config.ts';
import { cnnInferenceGraph } from './cnn-graphs.ts';
import { convChannels, fromCheckpointLayout, paramShapes, type Params } from './cnn-layout.ts';
import { foldBatchNorm } from './cnn-net.ts';

/** The snapshot's eval-mode weights (best weights when training stopped early and kept them). */
function snapshotWeights(snapshot: ModelSnapshot, cfg: CnnConfig, h: number, w: number): { params: Params; running: Params } {
  const get = (name: string, kind: 'param' | 'running'): Float32Array => {
    const t = snapshot.tensors[`${kind}/${name}`];
    if (!t) throw new Error(`export CNN as ONNX: the snapshot lacks tensor ${kind}/${name}`);
    return t.data;
  };
  const params = fromCheckpointLayout(cfg, h, w, Object.fromEntries(paramShapes(cfg, h, w).map(([k]) => [k, get(k, 'param')])));
  const running: Params = {};
  convChannels(cfg).forEach((_, i) => {
    running[`bn${i}/mean`] = get(`bn${i}/mean`, 'running');
    running[`bn${i}/var`] = get(`bn${i}/var`, 'running');
  });
  return { params, running };
}

/** ONNX ModelProto bytes of a CNN snapshot's inference graph (input pixels [N,1,H,W], output probabilities [N,8]). */
export function cnnExportGraph(snapshot: ModelSnapshot): GraphDef {
  if (snapshot.kind !== 'cnn') throw new Error(`export CNN as ONNX: snapshot is of kind ${snapshot.kind}`);
  const meta = snapshot.meta as { config: CnnConfig; height: number; width: number };
  const cfg = resolveCnnConfig(meta.config);
  const { height: h, width: w } = meta;
  const { params, running } = snapshotWeights(snapshot, cfg, h, w);
  return cnnInferenceGraph(cfg, h, w, foldBatchNorm(cfg, params, running));
}

export function exportCnnOnnx(snapshot: ModelSnapshot): Uint8Array {
  const { height: h, width: w } = snapshot.meta as { height: number; width: number };
  return encodeOnnxModel(cnnExportGraph(snapshot), {
    classes: JSON.stringify(CLASS_NAMES),
    input_size: JSON.stringify({ height: h, width: w }),
    preprocessing: `grey ${h}x${w} face crop, pixel / 255 in [0, 1], shaped [N, 1, ${h}, ${w}] (NCHW); batch norm is folded into each convolution with its running statistics`,
    output: 'probabilities: softmax probabilities over classes, in the order of `classes`',
  });
}
