/**
 * Public face of the dataset importers: pure readers that stream ImportItems (accepted
 * SampleRecords, ImportIssues for rejected rows, progress) in input order. They know nothing of
 * storage; the db layer writes what they yield. Each reader's module documents its layout,
 * label mapping and split choices.
 */
export { readDataset, detectDatasetKind } from './read-dataset.ts';
export type { DatasetReadOptions, ImportableKind } from './read-dataset.ts';
export { readAffectNet, AFFECTNET_ANNOTATOR } from './affectnet.ts';
export type { AffectNetOptions } from './affectnet.ts';
export { readFer2013 } from './fer2013.ts';
export type { Fer2013Options } from './fer2013.ts';
export { readFerPlus } from './ferplus.ts';
export type { FerPlusOptions } from './ferplus.ts';
export { readImageFolder } from './image-folder.ts';
export type { ImageFolderOptions } from './image-folder.ts';
export { readMultiAnnotatorCsv } from './multi-annotator.ts';
export type { MultiAnnotatorOptions } from './multi-annotator.ts';
export { labelCodeFromName, ferPlusMajority, pluralityClass, votesFromFerPlusOrder } from './label-names.ts';
export type { CommonImportOptions } from './import-pipeline.ts';
export type { FitMode, FaceSize } from './face-image.ts';
export { CsvParser, readCsvFile } from './csv-stream.ts';
