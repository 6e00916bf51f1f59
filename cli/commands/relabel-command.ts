// `relabel`: review decisions from the command line or a CSV of corrections, into the same
// audit trail as the review view.
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { LABEL_CODE_NAMES } from '../../api/domain.ts';
import { openProject } from '../../db/connection.ts';
import { applyRelabels, readRelabelCsv, type RelabelIssue, type RelabelRow } from '../../electron/service/ops/relabel-batch.ts';
import { CliError } from '../cli-error.ts';
import { requireString, type Command } from '../command.ts';

function defaultReviewer(): string {
  try {
    return userInfo().username || 'command line';
  } catch {
    return 'command line';
  }
}

const where = (e: RelabelIssue) => (e.line === null ? `--${e.field}` : `line ${e.line}, ${e.field}`);

export const relabelCommand: Command = {
  summary: 'record review decisions: one face, or a CSV of corrections',
  usage: `affect-relearn relabel --project <file> --face <id|source path> --label <class|ambiguous|not_face> [--reviewer NAME] [--note TEXT] [--json]
affect-relearn relabel --project <file> --csv <file> [--reviewer NAME] [--json]

  --label     a class (neutral, happy, sad, surprise, fear, disgust, anger, contempt, or 0-7 in
              that order), ambiguous (left out of training) or not_face (left out everywhere)
  --csv       columns face, label[, reviewer[, note]]; with a header row the columns are found by
              name (face | face_id | id | path | source ..., label, reviewer, note). A face is its id,
              its source reference (with or without the dataset prefix), its original path, or
              its file name when no other face has it. Bad rows are
              reported by line and field and the others applied; a row whose decision the face
              already has is skipped, so rerunning a file applies nothing new
  --reviewer  who decided (default: the user name); a CSV's reviewer column wins

Decisions are appended to the project's audit trail exactly as the review view does; the next
training run, evaluation and re-learning use them. With --json: {applied, unchanged, errors}.
Exits 1 when any row was refused.`,
  options: {
    project: { type: 'string' },
    face: { type: 'string' },
    label: { type: 'string' },
    reviewer: { type: 'string' },
    note: { type: 'string' },
    csv: { type: 'string' },
  },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const reviewer = typeof values.reviewer === 'string' && values.reviewer.trim() ? values.reviewer.trim() : defaultReviewer();
    let rows: RelabelRow[];
    let errors: RelabelIssue[] = [];
    if (typeof values.csv === 'string') {
      if (values.face !== undefined || values.label !== undefined) throw new CliError(`give either --csv or --face and --label, not both\n\n${this.usage}`, 2);
      try {
        ({ rows, errors } = await readRelabelCsv(resolve(values.csv)));
      } catch (e) {
        throw new CliError((e as Error).message);
      }
    } else {
      const face = requireString(values, 'face', this.usage);
      const label = requireString(values, 'label', this.usage);
      rows = [{ line: null, face, label, note: typeof values.note === 'string' ? values.note : undefined }];
    }
    const db = openProject(path);
    try {
      const r = applyRelabels(db, rows, reviewer);
      r.errors = [...errors, ...r.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      const text = [
        ...r.applied.map((a) => `face ${a.sampleId}: ${a.action}${a.action === 'relabel' ? ` to ${LABEL_CODE_NAMES[a.label!]}` : ''} (decision ${a.decisionId})`),
        `${r.applied.length} applied, ${r.unchanged.length} already so${r.errors.length ? `, ${r.errors.length} refused:` : ''}`,
        ...r.errors.map((e) => `  ${where(e)}: ${e.message}`),
      ].join('\n');
      if (typeof values.csv !== 'string' && r.errors.length) throw new CliError(r.errors.map((e) => `${where(e)}: ${e.message}`).join('\n'), 2);
      return { json: r, text, exitCode: r.errors.length ? 1 : 0 };
    } finally {
      db.close();
    }
  },
};
