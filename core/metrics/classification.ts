/**
 * Classification metrics (METHOD.md 6.6): accuracy, confusion matrix (rows = true class,
 * columns = predicted), per-class precision / recall / F1 / support and their macro averages.
 * Faces whose true label is not a class (-1, or a non-class code) are left out, so callers can
 * pass FER+ majority labels with excluded faces as -1. A precision or recall with a zero
 * denominator is 0 (as scikit-learn's default), and macro averages run over the classes that
 * occur among the true or predicted labels (as scikit-learn does), so a class absent from a
 * split does not drag the average to 0. O(n + K^2).
 */
import { NUM_CLASSES } from '../../api/domain.ts';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  /** Faces counted (those with a class label). */
  n: number;
  correct: number;
  accuracy: number;
  /** K x K, row-major, rows = true class, columns = predicted class. */
  confusion: Int32Array;
  perClass: ClassMetrics[];
  macro: { precision: number; recall: number; f1: number };
}

function isClassIn(l: number, k: number): boolean {
  return Number.isInteger(l) && l >= 0 && l < k;
}

export function confusionMatrix(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, k = NUM_CLASSES): Int32Array {
  if (trueLabels.length !== predicted.length) throw new Error(`confusionMatrix: ${trueLabels.length} labels but ${predicted.length} predictions`);
  const m = new Int32Array(k * k);
  for (let i = 0; i < trueLabels.length; i++) {
    const y = trueLabels[i];
    if (!isClassIn(y, k)) continue;
    const p = predicted[i];
    if (!isClassIn(p, k)) throw new Error(`confusionMatrix: prediction ${i} is ${p}, not a class 0..${k - 1}`);
    m[y * k + p]++;
  }
  return m;
}

export function classificationReport(trueLabels: ArrayLike<number>, predicted: ArrayLike<number>, k = NUM_CLASSES): ClassificationReport {
  const confusion = confusionMatrix(trueLabels, predicted, k);
  return reportFromConfusion(confusion, k);
}

export function reportFromConfusion(confusion: Int32Array, k = NUM_CLASSES): ClassificationReport {
  let n = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  const macro = { precision: 0, recall: 0, f1: 0 };
  let present = 0;
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predictedAs = 0;
    for (let j = 0; j < k; j++) {
      support += confusion[c * k + j];
      predictedAs += confusion[j * k + c];
    }
    const tp = confusion[c * k + c];
    n += support;
    correct += tp;
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support });
    if (support > 0 || predictedAs > 0) {
      present++;
      macro.precision += precision;
      macro.recall += recall;
      macro.f1 += f1;
    }
  }
  if (present > 0) {
    macro.precision /= present;
    macro.recall /= present;
    macro.f1 /= present;
  } else {
    macro.precision = macro.recall = macro.f1 = Number.NaN;
  }
  return { n, correct, accuracy: n > 0 ? correct / n : Number.NaN, confusion, perClass, macro };
}
