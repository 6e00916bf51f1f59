/**
 * Per-face image statistics and the checks built on them: blank, low-contrast and very dark
 * faces. The thresholds are on the stored 8-bit grey pixels (0..255).
 */

/** Standard deviation below 1 grey level: the image is one flat value (allowing a rounding step), nothing to see. */
export const BLANK_MAX_STD = 1;
/**
 * Standard deviation below 12 grey levels: a face is barely visible. Real 48x48 FER+ faces sit
 * far above this (their median is about 50); below 12 the eyes and mouth differ from the skin by
 * less than the steps of a cheap webcam's noise, so no expression can be read.
 */
export const LOW_CONTRAST_MAX_STD = 12;
/** Mean below 35 grey levels (of 255): a very dark image, in which dark features (eyes, brows, mouth) are lost. */
export const DARK_MAX_MEAN = 35;

export interface ImageStats {
  mean: number;
  std: number;
}

/** Mean and (population) standard deviation of the pixels. */
export function imageStats(pixels: Uint8Array): ImageStats {
  if (pixels.length === 0) throw new Error('imageStats: an image needs at least one pixel');
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < pixels.length; i++) {
    sum += pixels[i];
    sq += pixels[i] * pixels[i];
  }
  const mean = sum / pixels.length;
  // Integer sums are exact in a double up to 2^53, so the variance has no cancellation error beyond the last step.
  const variance = Math.max(0, sq / pixels.length - mean * mean);
  return { mean, std: Math.sqrt(variance) };
}

export interface ImageChecks {
  blank: boolean;
  /** Low contrast but not blank (a blank face is counted once, as blank). */
  lowContrast: boolean;
  dark: boolean;
}

export function imageChecks(s: ImageStats): ImageChecks {
  const blank = s.std < BLANK_MAX_STD;
  return { blank, lowContrast: !blank && s.std < LOW_CONTRAST_MAX_STD, dark: s.mean < DARK_MAX_MEAN };
}
