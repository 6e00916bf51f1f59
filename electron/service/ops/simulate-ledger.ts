/**
 * The trainings a label-cleaning simulation has measured, kept as they finish, so that an
 * interrupted `simulate-review` (a crash, a kill, a cancel, a machine that went to sleep
 * three hours into a curve) resumes where it stopped, and a later run with more budgets or
 * more training seeds trains only what is new.
 *
 * One file per parent and order, `<project>.models/cleaning-curves/measured/parent-<id>-<order>.json`,
 * rewritten atomically after every training (temp file + rename: a crash leaves the previous
 * ledger). A training is reused only when everything that decides its figures is the same:
 * the faces of the order and their sequence (core/util/sequence-hash.ts over the whole order), the project's labels
 * when the simulation started (the label version), the number of faces reviewed, the training
 * seed, and the faces measured on valid, test and the dev-test. Anything else trains again.
 * A ledger that cannot be read is set aside under another name (never deleted) and the
 * simulation starts over.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { CleaningPoint, SimulationOrder } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { writeFileAtomic } from './export-target.ts';

export type MeasuredRun = CleaningPoint['runs'][number];

/** What decides a training's figures besides the number of faces reviewed and its seed. */
export interface LedgerContext {
  orderHash: string;
  labelVersion: number;
  validFaces: number;
  testFaces: number;
  devTestFaces: number;
}

export interface LedgerEntry extends LedgerContext {
  reviewed: number;
  /** The training seed; null: the parent's own configuration (no --train-seeds). */
  trainSeed: number | null;
  run: MeasuredRun;
  measuredAt: string;
}

interface LedgerFile {
  version: 1;
  parentModelId: number;
  order: SimulationOrder;
  entries: LedgerEntry[];
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumOrNull = (x: unknown) => x === null || isNum(x);

function validEntry(e: unknown): e is LedgerEntry {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  const r = x.run as Record<string, unknown> | null;
  return (
    typeof x.orderHash === 'string' && isNum(x.labelVersion) && isNum(x.validFaces) && isNum(x.testFaces) && isNum(x.devTestFaces) &&
    isNum(x.reviewed) && isNumOrNull(x.trainSeed) && typeof x.measuredAt === 'string' &&
    typeof r === 'object' && r !== null && isNum(r.seed) && isNum(r.scratchModelId) && isNum(r.validAccuracy) && isNumOrNull(r.testAccuracy) && isNumOrNull(r.devTestAccuracy)
  );
}

function parseLedger(text: string, parentModelId: ModelId | number, order: SimulationOrder): LedgerEntry[] {
  const f = JSON.parse(text) as Partial<LedgerFile>;
  if (f.version !== 1 || f.parentModelId !== Number(parentModelId) || f.order !== order || !Array.isArray(f.entries)) throw new Error('not a ledger of this parent and order');
  const bad = f.entries.findIndex((e) => !validEntry(e));
  if (bad >= 0) throw new Error(`entry ${bad + 1} is malformed`);
  return f.entries;
}

/** The entries on disk now, or null when there is no readable ledger. */
function readEntries(file: string, parentModelId: ModelId | number, order: SimulationOrder): LedgerEntry[] | null {
  try {
    return parseLedger(readFileSync(file, 'utf8'), parentModelId, order);
  } catch {
    return null;
  }
}

function sameKey(e: LedgerEntry, ctx: LedgerContext, reviewed: number, trainSeed: number | null): boolean {
  return (
    e.reviewed === reviewed && e.trainSeed === trainSeed && e.orderHash === ctx.orderHash && e.labelVersion === ctx.labelVersion &&
    e.validFaces === ctx.validFaces && e.testFaces === ctx.testFaces && e.devTestFaces === ctx.devTestFaces
  );
}

export class SimulationLedger {
  readonly file: string;
  private entries: LedgerEntry[] = [];
  /** Set when an unreadable ledger was moved aside: where it went and why. */
  readonly setAside: { to: string; reason: string } | null = null;

  constructor(modelsDir: string, private readonly parentModelId: ModelId | number, private readonly order: SimulationOrder) {
    this.file = join(modelsDir, 'cleaning-curves', 'measured', `parent-${parentModelId}-${order}.json`);
    if (!existsSync(this.file)) return;
    try {
      this.entries = parseLedger(readFileSync(this.file, 'utf8'), parentModelId, order);
    } catch (e) {
      const to = `${this.file}.unreadable-${Date.now()}`;
      renameSync(this.file, to);
      this.setAside = { to, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The training measured before under the same context, or undefined. */
  find(ctx: LedgerContext, reviewed: number, trainSeed: number | null): LedgerEntry | undefined {
    return this.entries.find((e) => sameKey(e, ctx, reviewed, trainSeed));
  }

  /**
   * Records a finished training (replacing one of the same key) and writes the ledger at once,
   * merged with what another simulation of this parent and order recorded meanwhile.
   */
  record(ctx: LedgerContext, reviewed: number, trainSeed: number | null, run: MeasuredRun): void {
    const entry: LedgerEntry = { ...ctx, reviewed, trainSeed, run, measuredAt: new Date().toISOString() };
    const onDisk = readEntries(this.file, this.parentModelId, this.order) ?? [];
    const same = (e: LedgerEntry) => sameKey(e, ctx, reviewed, trainSeed);
    const merged = [...this.entries, ...onDisk.filter((d) => !this.entries.some((e) => sameKey(e, d, d.reviewed, d.trainSeed)))];
    this.entries = [...merged.filter((e) => !same(e)), entry];
    const f: LedgerFile = { version: 1, parentModelId: Number(this.parentModelId), order: this.order, entries: this.entries };
    writeFileAtomic(this.file, JSON.stringify(f, null, 1));
  }
}
