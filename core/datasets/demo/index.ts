/**
 * The built-in demo dataset: deterministic synthetic faces of the 8 expressions with planted
 * ambiguity, simulated annotators and wrong labels (see generate-demo-dataset.ts).
 */
export { DEMO_ANNOTATORS, DEMO_ANNOTATOR_HABITS_VERSION, annotatorLabelDistribution, drawAnnotatorLabel, type DemoAnnotator } from './annotators.ts';
export { sampleAppearance, type FaceAppearance } from './appearance.ts';
export { CONFUSION_PARTNERS, EXPRESSION_PROTOTYPES, NEUTRAL_EXPRESSION, blendExpressions, varyExpression, type ExpressionParams } from './expressions.ts';
export {
  DEMO_DEFAULT_COUNTS, DEMO_DEFAULT_SEED, DEMO_DEFAULT_SIZE, DEMO_GENERATOR_VERSION, demoDatasetSize, demoGroundTruth, demoImportItems,
  demoRecords, demoSourceRef, generateDemoDataset, generateDemoFace, type DemoDatasetOptions, type DemoGroundTruth,
} from './generate-demo-dataset.ts';
export { renderFace, renderFaceFloat, type FaceParams } from './render-face.ts';
