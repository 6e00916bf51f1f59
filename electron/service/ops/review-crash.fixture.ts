// Run as a child process by review.test.ts: opens the project argv[2] in a service, makes the
// decisions it is told (argv[3], JSON), saves the queue position, and kills itself with
// SIGKILL as soon as the last call returned: no close, no cleanup, like a crash.
import type { SampleId } from '../../../api/domain.ts';
import { AppService } from '../app-service.ts';

const [path, decisionsJson, configDir] = [process.argv[2], process.argv[3], process.argv[4]];
const decisions = JSON.parse(decisionsJson) as { sampleId: number; label: number }[];
const s = new AppService({ transport: 'test', configDir, backend: async () => null });
await s.openProject(path);
for (const d of decisions) await s.call('labels.relabel', { sampleId: d.sampleId as SampleId, action: 'relabel', label: d.label, reviewer: 'crash' });
await s.call('faces.saveQueueState', { reviewer: 'crash', query: { modelId: null, sort: 'id', filter: {} }, sampleId: decisions[decisions.length - 1].sampleId as SampleId, index: decisions.length - 1 });
process.kill(process.pid, 'SIGKILL');
