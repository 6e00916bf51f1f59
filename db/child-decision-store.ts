/**
 * The adopt / discard decisions on a re-learning run's children, append-only with their time
 * (migration child_decisions). The latest one is what the models' status says; the others are
 * the history the report shows.
 */
import type { RunId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export interface ChildDecisionRecord {
  id: number;
  relearnRunId: RunId;
  decision: 'adopted' | 'discarded';
  /** Adopted although parent + children did worse than the parent alone, after confirmation. */
  worseAccepted: boolean;
  decidedAt: string;
}

interface Row {
  id: number;
  relearn_run_id: number;
  decision: 'adopted' | 'discarded';
  worse_accepted: number;
  decided_at: string;
}

export function recordChildDecision(db: ProjectDb, input: { relearnRunId: RunId | number; decision: 'adopted' | 'discarded'; worseAccepted?: boolean }): ChildDecisionRecord {
  const row = db
    .stmt<[number, string, number], Row>('INSERT INTO child_decisions (relearn_run_id, decision, worse_accepted) VALUES (?, ?, ?) RETURNING *')
    .get(Number(input.relearnRunId), input.decision, input.worseAccepted ? 1 : 0)!;
  return toRecord(row);
}

/** Oldest first. */
export function listChildDecisions(db: ProjectDb, relearnRunId: RunId | number): ChildDecisionRecord[] {
  return db.stmt<[number], Row>('SELECT * FROM child_decisions WHERE relearn_run_id = ? ORDER BY id').all(Number(relearnRunId)).map(toRecord);
}

function toRecord(r: Row): ChildDecisionRecord {
  return { id: r.id, relearnRunId: r.relearn_run_id as RunId, decision: r.decision, worseAccepted: r.worse_accepted === 1, decidedAt: r.decided_at };
}
