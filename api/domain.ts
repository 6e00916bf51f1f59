/**
 * Domain vocabulary shared by every layer: classes, label codes, splits, branded ids and the
 * record an importer produces. Types and constants only; no behaviour beyond lookups.
 */

/** The 8 training classes, in AffectNet's order. The index is the class id everywhere. */
export const CLASS_NAMES = ['neutral', 'happy', 'sad', 'surprise', 'fear', 'disgust', 'anger', 'contempt'] as const;
export type ClassName = (typeof CLASS_NAMES)[number];
export const NUM_CLASSES = CLASS_NAMES.length;
/** 0..7, an index into CLASS_NAMES. */
export type ClassId = number;

/**
 * A label as an annotator may give it: one of the 8 classes (0..7) or a non-class code.
 * 8/9/10 are AffectNet's own codes (none, uncertain, non-face); FER+'s `NF` maps to 10 and
 * its `unknown` to 11. Non-class codes are kept as annotations but never trained on.
 */
export const LABEL_CODE_NAMES = [...CLASS_NAMES, 'none', 'uncertain', 'not_face', 'unknown'] as const;
export type LabelCodeName = (typeof LABEL_CODE_NAMES)[number];
export const NUM_LABEL_CODES = LABEL_CODE_NAMES.length;
export const LABEL_NONE = 8;
export const LABEL_UNCERTAIN = 9;
export const LABEL_NOT_FACE = 10;
export const LABEL_UNKNOWN = 11;
/** 0..11, an index into LABEL_CODE_NAMES. */
export type LabelCode = number;

export function isClassLabel(code: LabelCode | null | undefined): code is ClassId {
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < NUM_CLASSES;
}

export const SPLITS = ['train', 'valid', 'test'] as const;
export type Split = (typeof SPLITS)[number];
/**
 * The splits and the dev-test carve (db/dev-test-store.ts), where faces are counted, scored or
 * listed apart: a dev-test face stays in split 'train' but is held out for measurement only.
 */
export const SPLITS_AND_DEV_TEST = [...SPLITS, 'dev-test'] as const;
export type SplitOrDevTest = (typeof SPLITS_AND_DEV_TEST)[number];

export const DATASET_KINDS = ['affectnet', 'fer2013', 'ferplus', 'folder', 'multi', 'demo'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

declare const brand: unique symbol;
/** A nominal type: an id of one table cannot be passed where another's is expected. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };
export type SampleId = Brand<number, 'SampleId'>;
export type AnnotatorId = Brand<number, 'AnnotatorId'>;
export type RunId = Brand<number, 'RunId'>;
export type ModelId = Brand<number, 'ModelId'>;
export type RelabelId = Brand<number, 'RelabelId'>;
export type ChildGroupId = Brand<number, 'ChildGroupId'>;

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One identified annotator's label for one face. */
export interface AnnotationInput {
  annotator: string;
  label: LabelCode;
}

/**
 * What an importer yields for one face, already preprocessed (grey, resized to the project's
 * input size). `sourceRef` is unique within a project and stable across runs of the same
 * import, so an interrupted import can resume without duplicates.
 */
export interface SampleRecord {
  sourceRef: string;
  dataset: DatasetKind;
  split: Split;
  width: number;
  height: number;
  /** Grey pixels, row-major, width*height bytes (0..255). */
  pixels: Uint8Array;
  /** Path of the original image for display, when there is one (absolute or relative to the import root). */
  originalPath: string | null;
  faceBox: FaceBox | null;
  /** The dataset's official label: a class id, a non-class code, or null when none is given. */
  givenLabel: LabelCode | null;
  valence: number | null;
  arousal: number | null;
  /** Labels of identified annotators (AffectNet's single annotator, a team's own CSV, the demo's simulated annotators). */
  annotations: AnnotationInput[];
  /** Anonymous vote counts indexed by LabelCode (length NUM_LABEL_CODES), e.g. FER+'s 10 taggers; null when absent. */
  votes: number[] | null;
  /**
   * The full vote counts (by LabelCode) when `votes` keeps only some of them (FER+ imported
   * with --votes-per-face): stored apart as reference labels, which only measurement reads.
   */
  referenceVotes?: number[] | null;
  /** Dataset-specific extras kept verbatim (e.g. the demo's planted ground truth). */
  extra: Record<string, unknown> | null;
}

/** A rejected or questionable input row, named precisely enough to find and fix it. */
export interface ImportIssue {
  file: string;
  /** 1-based line (CSV) or null for a whole file. */
  line: number | null;
  field: string | null;
  message: string;
}

export interface ImportProgress {
  done: number;
  /** Best estimate of the total, or null when unknown. */
  total: number | null;
  accepted: number;
  rejected: number;
}

/** What an importer streams: accepted faces, rejected rows and progress, in input order. */
export type ImportItem =
  | { kind: 'sample'; record: SampleRecord }
  | { kind: 'issue'; issue: ImportIssue }
  | { kind: 'progress'; done: number; total: number | null };

/**
 * The engine runtimes, best first as the app picks them (core/runtime/select-runtime.ts):
 * tfjs-node-gpu with CUDA, ONNX Runtime with a GPU provider, ONNX Runtime on the CPU, tfjs-node,
 * tfjs wasm, tfjs cpu.
 */
export const RUNTIME_NAMES = ['tfjs-tensorflow-gpu', 'onnxruntime-cuda', 'onnxruntime-webgpu', 'onnxruntime-cpu', 'tfjs-tensorflow', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];
/** Most intra-op threads a run may ask for. */
export const MAX_THREADS = 256;
