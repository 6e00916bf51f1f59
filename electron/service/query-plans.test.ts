// The statements the app runs when it opens a project, shows the review queue and relabels,
// captured as they run against a real project file, then planned by SQLite (EXPLAIN QUERY
// PLAN with the same arguments): none may scan a face table (samples, the labels, votes,
// annotations, predictions, scores, the audit trail) where an index serves. Scans that a
// query's purpose needs (the summary's counts over every face, a queue's counts "one scan" by
// contract) are listed by call, so a new scan anywhere else fails.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { RequestName } from '../../api/contract.ts';
import type { LabelCode } from '../../api/domain.ts';
import { openProject } from '../../db/connection.ts';
import { createModel } from '../../db/model-store.ts';
import { writePredictions } from '../../db/prediction-store.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { upsertScores } from '../../db/score-store.ts';
import { makeRecord } from '../../db/test-support.ts';
import { AppService } from './app-service.ts';

const FACE_TABLES = ['samples', 'sample_votes', 'annotations', 'relabels', 'predictions', 'scores'];
const SCAN = new RegExp(`^SCAN (${FACE_TABLES.join('|')})\\b`);

const dir = mkdtempSync(join(tmpdir(), 'ar-plans-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Executed {
  call: string;
  sql: string;
  /** EXPLAIN QUERY PLAN details, with the statement's own arguments, on its own connection (temp tables included). */
  plan: string[];
}

const PLANNED = /^\s*(SELECT|WITH|UPDATE|DELETE|INSERT)/i;

/** Plans every statement run through better-sqlite3 in this process (once per call and text), tagged with the current call. */
function captureStatements(): { executed: Executed[]; during<T>(call: string, f: () => Promise<T>): Promise<T>; stop(): void } {
  const executed: Executed[] = [];
  const seen = new Set<string>();
  let current = '';
  const proto = Database.prototype as unknown as { prepare(sql: string): Database.Statement };
  const prepare = proto.prepare;
  proto.prepare = function (this: Database.Database, sql: string) {
    const s = prepare.call(this, sql) as unknown as Record<string, (...a: unknown[]) => unknown>;
    const conn = this;
    for (const m of ['run', 'get', 'all', 'iterate']) {
      const orig = s[m];
      s[m] = (...args: unknown[]) => {
        const key = `${current}\u0000${sql}`;
        if (current && PLANNED.test(sql) && !seen.has(key)) {
          seen.add(key);
          const plan = (prepare.call(conn, `EXPLAIN QUERY PLAN ${sql}`) as Database.Statement).all(...(args as never[])) as { detail: string }[];
          executed.push({ call: current, sql, plan: plan.map((p) => p.detail) });
        }
        return orig.apply(s, args);
      };
    }
    return s as unknown as Database.Statement;
  };
  return {
    executed,
    async during(call, f) {
      current = call;
      try {
        return await f();
      } finally {
        current = '';
      }
    },
    stop: () => void (proto.prepare = prepare),
  };
}

/** A real project: 400 faces over the splits, votes and identified annotators (or, `single`, AffectNet's one annotator and no votes), a scored model. */
function buildProject(path: string, single = false): number {
  const db = openProject(path, { create: true, inputSize: { height: 8, width: 8 } });
  const recs = Array.from({ length: 400 }, (_, i) => makeRecord({
    index: i, size: 8, split: i % 10 === 0 ? 'valid' : i % 10 === 1 ? 'test' : 'train',
    votes: !single && i % 3 === 0 ? [5, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : null,
    annotations: single ? [{ annotator: 'affectnet', label: (i % 8) as LabelCode }]
      : i % 3 === 1 ? [{ annotator: 'ana', label: (i % 8) as LabelCode }, { annotator: 'bo', label: ((i + 1) % 8) as LabelCode }] : [],
  }));
  const ids = insertSampleBatch(db, recs).ids.map((id) => id!);
  const modelId = createModel(db, { kind: 'dbn', name: 'm', filePath: 'm.bin', inputSize: { height: 8, width: 8 } });
  const probs = new Float32Array(ids.length * 8).map((_, k) => ((k * 7) % 11) / 11);
  writePredictions(db, modelId, { sampleIds: Int32Array.from(ids), probs });
  upsertScores(db, modelId, ids.map((id, i) => ({ sampleId: id, predictedLabel: (i % 8) as never, klAnnotator: (i % 17) / 17, voteEntropy: i % 5, margin: (i % 13) / 13, maxSoftmax: 0.5, selfConfidence: (i % 7) / 7, misclassified: i % 2 === 0 })));
  db.close();
  return ids[57];
}

for (const single of [false, true]) test(`opening, the summary, the review queue and relabelling scan no face table where an index serves (${single ? 'one annotator, no votes' : 'votes and identified annotators'})`, async () => {
  const path = join(dir, `plans-${single}.arproj`);
  const face = buildProject(path, single);
  const cap = captureStatements();
  const service = new AppService({ transport: 'test', configDir: join(dir, `config-${single}`), backend: async () => null });
  try {
    const call = (name: RequestName, params: unknown) => cap.during(name, () => service.call(name, params as never));
    await cap.during('open', () => service.openProject(path));
    await call('projects.summary', {});
    const opts = (await call('faces.reviewOptions', {})) as { defaultModelId: number };
    const modelId = opts.defaultModelId;
    assert.ok(modelId, 'the scored model is the default');
    for (const sort of ['kl_annotator', 'margin', 'self_confidence', 'vote_entropy', 'disagreement', 'id'] as const) {
      const q = { modelId: sort === 'disagreement' || sort === 'id' ? undefined : modelId, sort };
      const first = (await call('faces.listForReview', { ...q, limit: 50 })) as { next: unknown; items: unknown[] };
      // With one annotator and no votes no face has a disagreement to sort by.
      assert.equal(first.items.length > 0, !(single && sort === 'disagreement'), `${sort}: a page of faces`);
      if (first.next) await call('faces.listForReview', { ...q, limit: 50, after: first.next });
      await cap.during('faces.listForReview+counts', () => service.call('faces.listForReview', { ...q, limit: 50, withCounts: true }));
    }
    await call('faces.listForReview', { modelId, sort: 'kl_annotator', filter: { split: 'train', reviewed: false }, limit: 50 });
    await call('faces.listForReview', { modelId, sort: 'kl_annotator', filter: { givenLabel: 3, predicted: 5 }, limit: 50 });
    await call('faces.listForReview', { modelId, sort: 'kl_annotator', startAt: face, limit: 1 });
    await call('faces.get', { id: face, modelId });
    await call('labels.relabel', { sampleId: face, action: 'relabel', label: 2, reviewer: 'plans' });
    await call('labels.undo', { reviewer: 'plans' });
    await call('labels.relabel', { sampleId: face, action: 'confirm', reviewer: 'plans' });
  } finally {
    await service.closeProject();
    cap.stop();
  }

  const scans: string[] = [];
  for (const e of cap.executed) {
    const sql = e.sql.replace(/\s+/g, ' ');
    for (const d of e.plan) if (SCAN.test(d) && !allowed(e.call, d)) scans.push(`${e.call}: ${d}\n    ${sql.slice(0, 300)}`);
    // A face's row holds its pixels: fetched by id for every row of a scan, it reads the whole file.
    if (e.call === 'projects.summary' && e.plan.some((d) => /^SCAN /.test(d))) {
      for (const d of e.plan) if (samplesRowLookup(sql, d)) scans.push(`${e.call}: ${d} for every row of a scan\n    ${sql.slice(0, 300)}`);
    }
  }
  assert.ok(cap.executed.length > 20, `only ${cap.executed.length} statements captured`);
  assert.deepEqual(scans, [], `full scans:\n${scans.join('\n')}`);
});

/** True when a plan line fetches rows of samples (by any alias) through its primary key. */
function samplesRowLookup(sql: string, detail: string): boolean {
  const m = /^SEARCH (\w+) USING INTEGER PRIMARY KEY/.exec(detail);
  if (!m) return false;
  const aliases = new Set(['samples', ...[...sql.matchAll(/\bsamples\s+(?:AS\s+)?(\w+)/gi)].map((a) => a[1])]);
  return aliases.has(m[1]);
}

/**
 * Scans a call needs by its purpose: the Project view's summary counts every face per split,
 * class, dataset and annotator, the votes and the audit trail's decisions, and a queue's
 * counts are one pass over the queue by contract (asked on the first page only). Opening, the
 * review options, every page, a face's detail and a decision scan nothing.
 */
function allowed(call: string, _detail: string): boolean {
  return call === 'projects.summary' || call === 'faces.listForReview+counts';
}
