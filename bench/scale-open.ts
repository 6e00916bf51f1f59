// For bench/scale.ts: opens a project in this fresh process as the app does (the project and
// its summary for the Project view), then the Review view's first page; prints one JSON line of
// milliseconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppService } from '../electron/service/app-service.ts';

const path = process.argv[2];
const config = mkdtempSync(join(tmpdir(), 'affect-relearn-open-'));
const service = new AppService({ transport: 'test', configDir: config, backend: async () => null });
try {
  let t = performance.now();
  await service.openProject(path);
  const open = performance.now() - t;
  t = performance.now();
  await service.call('projects.summary', {});
  const summary = performance.now() - t;
  t = performance.now();
  // The Review view opening: its options, then the first page of the default queue with counts.
  const opts = await service.call('faces.reviewOptions', {});
  const query = { modelId: opts.defaultModelId ?? undefined, sort: opts.defaultSort, limit: 100, withCounts: true };
  const page = await service.call('faces.listForReview', query);
  const firstPage = performance.now() - t;
  t = performance.now();
  await service.call('faces.listForReview', query);
  const secondCall = performance.now() - t;
  console.log(JSON.stringify({ open_ms: open, summary_ms: summary, first_review_page_ms: firstPage, first_review_page_again_ms: secondCall, faces: page.counts?.total ?? -1, sort: opts.defaultSort }));
  await service.closeProject();
} finally {
  rmSync(config, { recursive: true, force: true });
}
