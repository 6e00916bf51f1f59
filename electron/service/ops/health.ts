/**
 * Dataset health of a project (issue 13): fills the per-face hash cache for faces not hashed
 * yet (so projects imported before the feature work), then finds exact-duplicate groups,
 * near-duplicate pairs, blank / low-contrast / dark faces and pixel-space outliers, measures
 * every score against the faces annotators voted "not a face" when the project has votes,
 * and stores the report. Work is done in pages with a yield between them, so the service
 * keeps answering requests while a large project is checked.
 */
import { ApiError, type HealthFinding, type HealthReport, type HealthSummary } from '../../../api/contract.ts';
import { NUM_CLASSES, type SampleId, type Split } from '../../../api/domain.ts';
import { CentroidScorer, standardisedPixels } from '../../../core/health/centroid-outliers.ts';
import { exactDuplicateGroups, summariseExactDuplicates } from '../../../core/health/exact-duplicates.ts';
import { BLANK_MAX_STD, DARK_MAX_MEAN, LOW_CONTRAST_MAX_STD, imageChecks, imageStats } from '../../../core/health/image-stats.ts';
import { DEFAULT_NEAR_THRESHOLD, nearDuplicatePairs } from '../../../core/health/near-duplicates.ts';
import { pHash, pHashFromHex, pHashToHex } from '../../../core/health/phash.ts';
import { pixelHash } from '../../../core/health/pixel-hash.ts';
import { auroc } from '../../../core/metrics/ranking.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { healthModel, modelOutlierScores, type ModelScores } from './health-model-scores.ts';
import { countUnhashedSamples, insertSampleHashes, latestHealthReport, loadHashedSamples, samplePixelPage, samplePixels, saveHealthReport, unhashedSamples, type HashedSample } from '../../../db/health-store.ts';

/** Faces hashed (or scored) per page between yields. */
const PAGE = 2000;
/** How many of the most outlying faces the report lists. */
export const OUTLIER_TOP = 200;

export interface HealthProgress {
  stage: 'hash' | 'duplicates' | 'outliers';
  done: number;
  total: number;
}

export interface HealthOptions {
  nearThreshold?: number;
  /** DBN whose first RBM layer scores outliers (default: the latest Adaptive DBN, if any). */
  modelId?: number;
  onProgress?: (p: HealthProgress) => void;
}

/** The faces behind each count, stored with the report. */
export interface HealthFindings {
  exactGroups: number[][];
  nearPairs: Array<[number, number, number]>;
  blank: number[];
  lowContrast: number[];
  dark: number[];
  outliers: number[];
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Hashes every face not in the cache yet, page by page (each page one transaction). */
export async function fillHashCache(db: ProjectDb, onProgress?: (p: HealthProgress) => void): Promise<void> {
  const total = countUnhashedSamples(db);
  let done = 0;
  for (;;) {
    const page = unhashedSamples(db, PAGE);
    if (page.length === 0) break;
    insertSampleHashes(
      db,
      page.map((s) => {
        const px = new Uint8Array(s.pixels.buffer, s.pixels.byteOffset, s.pixels.length);
        const st = imageStats(px);
        return { sampleId: s.id, pixelHash: pixelHash(px, s.width, s.height), phash: pHashToHex(pHash(px, s.width, s.height)), mean: st.mean, std: st.std };
      }),
    );
    done += page.length;
    onProgress?.({ stage: 'hash', done, total });
    await yieldToEventLoop();
  }
}

/** Distance of each face's z-scored pixels to the mean face (two paged passes); NaN-free, in `samples` order. */
async function pixelCentroidScores(db: ProjectDb, samples: readonly HashedSample[], onProgress?: (p: HealthProgress) => void): Promise<Float64Array> {
  const index = new Map<number, number>(samples.map((s, i) => [s.sampleId, i]));
  const first = samplePixelPage(db, 0, 1)[0];
  const scorer = new CentroidScorer(first ? first.pixels.length : 1);
  const out = new Float64Array(samples.length);
  const buf = new Float64Array(scorer.dim);
  for (const pass of ['add', 'score'] as const) {
    let after = 0;
    for (;;) {
      const page = samplePixelPage(db, after, PAGE);
      if (page.length === 0) break;
      for (const s of page) {
        if (s.pixels.length !== scorer.dim) throw new Error(`${db.path}: sample ${s.id} has ${s.pixels.length} pixels, other faces ${scorer.dim}; outlier scores need one size`);
        const z = standardisedPixels(new Uint8Array(s.pixels.buffer, s.pixels.byteOffset, s.pixels.length), buf);
        if (pass === 'add') scorer.add(z, null);
        else out[index.get(s.id)!] = scorer.score(z, null).global;
      }
      after = page[page.length - 1].id;
      onProgress?.({ stage: 'outliers', done: index.get(after)! + 1 + (pass === 'score' ? samples.length : 0), total: 2 * samples.length });
      await yieldToEventLoop();
    }
  }
  return out;
}

function notFaceDetection(samples: readonly HashedSample[], scores: Record<string, { values: ArrayLike<number>; direction: 'higher' | 'lower' }>): HealthSummary['notFace'] {
  const withVotes = samples.map((s) => s.totalVotes !== null && s.totalVotes > 0);
  // A face counts as "not a face" when at least one voter said so: FER+'s published images hold
  // almost no NF-majority faces (FER+ ships no image for most of them), so a majority rule
  // would leave a handful of positives and an AUROC that means nothing.
  const positive = samples.map((s) => (s.notFaceVotes ?? 0) > 0);
  const positives = positive.filter((p, i) => p && withVotes[i]).length;
  const negatives = withVotes.filter(Boolean).length - positives;
  if (positives === 0 || negatives === 0) return null;
  const out: Record<string, number | null> = {};
  for (const [name, { values, direction }] of Object.entries(scores)) {
    // Faces without votes are left out (NaN) rather than counted as faces.
    const v = Float64Array.from(samples, (_, i) => (withVotes[i] ? values[i] : Number.NaN));
    const a = auroc(v, positive, direction);
    out[name] = Number.isFinite(a) ? a : null;
  }
  return { definition: 'at least one not-a-face vote', positives, negatives, auroc: out };
}

export async function computeHealth(db: ProjectDb, opts: HealthOptions = {}): Promise<HealthReport> {
  const started = performance.now();
  const threshold = opts.nearThreshold ?? DEFAULT_NEAR_THRESHOLD;
  await fillHashCache(db, opts.onProgress);
  const samples = loadHashedSamples(db);
  opts.onProgress?.({ stage: 'duplicates', done: 0, total: samples.length });

  const same = (a: number, b: number) => samplePixels(db, a).equals(samplePixels(db, b));
  const groups = exactDuplicateGroups(samples.map((s) => ({ id: s.sampleId, split: s.split, pixelHash: s.pixelHash })), same);

  const checks = samples.map((s) => imageChecks(s));
  // Near-duplicates among distinct images: one face per exact group (its other members are the same picture), blank faces out.
  const inGroupNotFirst = new Set<number>(groups.flatMap((g) => g.ids.slice(1)));
  const skip = samples.map((s, i) => checks[i].blank || inGroupNotFirst.has(s.sampleId));
  const pairs = nearDuplicatePairs(samples.map((s) => pHashFromHex(s.phash)), threshold, skip);
  const nearWithin: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  const nearCross = { 'train+valid': 0, 'train+test': 0, 'valid+test': 0 };
  for (const p of pairs) {
    const a = samples[p.a].split;
    const b = samples[p.b].split;
    if (a === b) nearWithin[a]++;
    else nearCross[([a, b].sort((x, y) => ORDER[x] - ORDER[y]).join('+')) as keyof typeof nearCross]++;
  }
  opts.onProgress?.({ stage: 'duplicates', done: samples.length, total: samples.length });

  const centroid = await pixelCentroidScores(db, samples, opts.onProgress);
  const model = healthModel(db, opts.modelId);
  let byModel: ModelScores | null = null;
  if (model) {
    const index = new Map<number, number>(samples.map((s, i) => [s.sampleId, i]));
    const classOf = (i: number) => {
      const g = samples[i].givenLabel;
      return g !== null && g >= 0 && g < NUM_CLASSES ? g : null;
    };
    byModel = await modelOutlierScores(db, model, index, classOf, async (done) => {
      opts.onProgress?.({ stage: 'outliers', done, total: 2 * samples.length });
      await yieldToEventLoop();
    });
  }
  // The network's own free energy ranks outliers when a DBN exists; the pixel distance otherwise.
  const primary = byModel ? byModel.freeEnergy : centroid;
  const order = Array.from(primary.keys()).sort((a, b) => primary[b] - primary[a] || samples[a].sampleId - samples[b].sampleId);

  const findings: HealthFindings = {
    exactGroups: groups.map((g) => g.ids),
    nearPairs: pairs.map((p) => [samples[p.a].sampleId, samples[p.b].sampleId, p.distance]),
    blank: samples.filter((_, i) => checks[i].blank).map((s) => s.sampleId),
    lowContrast: samples.filter((_, i) => checks[i].lowContrast).map((s) => s.sampleId),
    dark: samples.filter((_, i) => checks[i].dark).map((s) => s.sampleId),
    outliers: order.slice(0, OUTLIER_TOP).map((i) => samples[i].sampleId),
  };
  const flag = (k: 'blank' | 'lowContrast' | 'dark') => Float64Array.from(checks, (c) => (c[k] ? 1 : 0));
  const summary: HealthSummary = {
    faces: samples.length,
    exactDuplicates: summariseExactDuplicates(groups),
    nearDuplicates: { pairs: pairs.length, threshold, withinSplit: nearWithin, crossSplit: nearCross },
    outliers: { scored: samples.length, score: byModel ? 'free-energy' : 'pixel-centroid', modelId: byModel ? byModel.modelId : null, top: findings.outliers.slice(0, 50) as SampleId[] },
    imageChecks: {
      blank: findings.blank.length,
      lowContrast: findings.lowContrast.length,
      dark: findings.dark.length,
      thresholds: { blankMaxStd: BLANK_MAX_STD, lowContrastMaxStd: LOW_CONTRAST_MAX_STD, darkMaxMean: DARK_MAX_MEAN },
    },
    notFace: notFaceDetection(samples, {
      ...(byModel
        ? {
            'free-energy': { values: byModel.freeEnergy, direction: 'higher' as const },
            'feature-centroid': { values: byModel.featureGlobal, direction: 'higher' as const },
            'feature-class-centroid': { values: byModel.featureClass, direction: 'higher' as const },
          }
        : {}),
      'pixel-centroid': { values: centroid, direction: 'higher' },
      'pixel-std (low)': { values: samples.map((s) => s.std), direction: 'lower' },
      'pixel-mean (low)': { values: samples.map((s) => s.mean), direction: 'lower' },
      blank: { values: flag('blank'), direction: 'higher' },
      lowContrast: { values: flag('lowContrast'), direction: 'higher' },
      dark: { values: flag('dark'), direction: 'higher' },
    }),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  const id = saveHealthReport(db, { nearThreshold: threshold, faces: samples.length, summary, findings });
  const stored = latestHealthReport(db)!;
  return { id, createdAt: stored.createdAt, summary };
}

const ORDER: Record<Split, number> = { train: 0, valid: 1, test: 2 };

export function latestHealth(db: ProjectDb): HealthReport | null {
  const r = latestHealthReport(db);
  return r ? { id: r.id, createdAt: r.createdAt, summary: r.summary as HealthSummary } : null;
}

/** The faces behind one finding of the latest report. */
export function healthFaces(db: ProjectDb, finding: HealthFinding): SampleId[] {
  const r = latestHealthReport(db);
  if (!r) throw new ApiError('not_found', 'health.faces: no health report in this project yet (compute one first)');
  const f = r.findings as HealthFindings;
  const ids = (() => {
    switch (finding) {
      case 'exactDuplicates':
        return f.exactGroups.flat();
      case 'crossSplitDuplicates': {
        const split = new Map(loadSplitsOf(db, f.exactGroups.flat()));
        return f.exactGroups.filter((g) => new Set(g.map((id) => split.get(id))).size > 1).flat();
      }
      case 'nearDuplicates': {
        // Each face once, in the order its first pair appears, so a pair's faces sit side by side.
        const seen = new Set<number>();
        for (const [a, b] of f.nearPairs) (seen.add(a), seen.add(b));
        return [...seen];
      }
      default:
        return f[finding];
    }
  })();
  return ids as SampleId[];
}

function loadSplitsOf(db: ProjectDb, ids: number[]): Array<[number, Split]> {
  const stmt = db.stmt<[number], Split>('SELECT split FROM samples WHERE id = ?', 'pluck');
  return ids.map((id) => [id, stmt.get(id)!]);
}
