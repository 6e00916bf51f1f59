// `demo`, `import` and `info`: creating projects and bringing data into them.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLASS_NAMES, SPLITS, type DatasetKind } from '../../api/domain.ts';
import { createDemoProject, projectSummary } from '../../electron/service/ops/project.ts';
import { importDataset } from '../../electron/service/ops/import.ts';
import { openProject } from '../../db/connection.ts';
import { CliError } from '../cli-error.ts';
import { requireString, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';

const IMPORT_KINDS = ['affectnet', 'fer2013', 'ferplus', 'folder', 'multi'] as const;

export const demoCommand: Command = {
  summary: 'create (or complete) the built-in demo project of synthetic faces',
  usage: `affect-relearn demo --project <file> [--json]

Creates a project of synthetic faces for the 8 expressions with planted ambiguity (blends of two
expressions), simulated annotators with their own confusion habits and a few wrong given labels.`,
  options: { project: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const progress = createProgress('demo');
    await createDemoProject(path, { onProgress: (p) => progress.update(p.done, p.total) });
    progress.done();
    const db = openProject(path);
    try {
      const summary = projectSummary(db);
      return { json: summary, text: formatSummary(summary) };
    } finally {
      db.close();
    }
  },
};

export const importCommand: Command = {
  summary: 'import a dataset: affectnet | fer2013 | ferplus | folder | multi <path>',
  usage: `affect-relearn import <affectnet|fer2013|ferplus|folder|multi> <path> --project <file> [--strict] [--size 48]
       [--votes-per-face K [--vote-seed S]] [--json]

  affectnet  AffectNet root (Manually_Annotated_file_lists/*.csv + Manually_Annotated_Images/) or a CSV
  fer2013    Kaggle fer2013.csv (joined with FER+'s fer2013new.csv beside it when present)
  ferplus    FER+ root with FER2013Train/ FER2013Valid/ FER2013Test/ (any subset), PNGs + label.csv
  folder     <root>/<class>/*.jpg|png or <root>/<split>/<class>/...
  multi      CSV of (image, annotator, label[, split]) rows, many annotators per image

The project file is created when missing (--size sets its input size, default 48). Rows that
cannot be imported are reported with file, line and field; the rest is imported. --strict stops
at the first bad row instead. Re-running an interrupted import resumes without duplicates.

--votes-per-face K (FER+ only) keeps K of each face's 10 votes, drawn without replacement with
--vote-seed S (default 1), as its annotations; its given label is their plurality (ties by the
seed; none when unknown/NF wins). The 10-vote counts are kept as reference labels that only
detection metrics (analyze's ranking) read: a few-annotator dataset with a known answer.`,
  options: {
    project: { type: 'string' }, strict: { type: 'boolean', default: false }, size: { type: 'string' },
    'votes-per-face': { type: 'string' }, 'vote-seed': { type: 'string' },
  },
  async run(values, positionals) {
    const [kind, path] = positionals;
    if (!kind || !path) throw new CliError(`import needs a kind and a path\n\n${this.usage}`, 2);
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new CliError(`unknown dataset kind "${kind}" (expected ${IMPORT_KINDS.join(', ')})`, 2);
    if (!existsSync(path)) throw new CliError(`${path}: no such file or folder`);
    const projectPath = resolve(requireString(values, 'project', this.usage));
    const size = values.size === undefined ? undefined : Number(values.size);
    if (size !== undefined && (!Number.isInteger(size) || size < 8 || size > 512)) throw new CliError(`--size must be an integer 8..512, got ${String(values.size)}`, 2);
    const votesPerFace = optionalInt(values['votes-per-face'], '--votes-per-face', 1, 10);
    const voteSeed = optionalInt(values['vote-seed'], '--vote-seed', 0, 2 ** 31 - 1);
    if (voteSeed !== undefined && votesPerFace === undefined) throw new CliError('--vote-seed needs --votes-per-face', 2);
    if (votesPerFace !== undefined && kind !== 'ferplus') throw new CliError(`--votes-per-face applies to ferplus imports only (got ${kind})`, 2);
    const db = openProject(projectPath, { create: true, inputSize: size ? { height: size, width: size } : undefined });
    try {
      const progress = createProgress(`import ${kind}`);
      const options = { strict: Boolean(values.strict), size, ...(votesPerFace !== undefined ? { votesPerFace, voteSeed } : {}) };
      const report = await importDataset(db, { kind: kind as DatasetKind, path: resolve(path), options }, {
        onProgress: (p) => progress.update(p.done ?? 0, p.total ?? null, `accepted ${p.accepted ?? 0} rejected ${p.rejected ?? 0}`),
      });
      progress.done(`${report.status}: ${report.accepted} accepted, ${report.skippedExisting} already present, ${report.rejected} rejected`);
      const lines = [`${report.status}: ${report.accepted} faces imported, ${report.skippedExisting} already in the project, ${report.rejected} rows rejected`];
      for (const i of report.issues.slice(0, 50)) lines.push(`  ${i.file}${i.line ? `:${i.line}` : ''}${i.field ? ` [${i.field}]` : ''}: ${i.message}`);
      if (report.issues.length > 50) lines.push(`  ... and ${report.issues.length - 50} more (all are stored in the project; use --json for the full list)`);
      if (report.error) lines.push(`error: ${report.error}`);
      return { json: report, text: lines.join('\n'), exitCode: report.status === 'done' ? 0 : 1 };
    } finally {
      db.close();
    }
  },
};

function optionalInt(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${flag} must be an integer ${min}..${max}, got ${String(value)}`, 2);
  return n;
}

export const infoCommand: Command = {
  summary: 'counts per split and class, annotators, agreement summary',
  usage: 'affect-relearn info --project <file> [--json]',
  options: { project: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const db = openProject(path);
    try {
      const summary = projectSummary(db);
      return { json: summary, text: formatSummary(summary) };
    } finally {
      db.close();
    }
  },
};

function formatSummary(s: ReturnType<typeof projectSummary>): string {
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
  const lines = [`${s.project.name} (${s.project.path}), input ${s.project.inputSize.width}x${s.project.inputSize.height}, ${s.totalSamples} faces`];
  lines.push(`${'split'.padEnd(6)} ${'total'.padStart(7)} ${CLASS_NAMES.map((c) => c.slice(0, 8).padStart(9)).join('')} ${'other'.padStart(7)}`);
  for (const split of SPLITS) {
    const c = s.splits[split];
    lines.push(`${split.padEnd(6)} ${String(c.total).padStart(7)} ${c.givenByClass.map((n) => String(n).padStart(9)).join('')} ${String(c.givenNonClass).padStart(7)}`);
  }
  lines.push(`datasets: ${s.datasets.map((d) => `${d.kind} ${d.count}`).join(', ') || 'none'}`);
  lines.push(`annotators: ${s.annotators.length ? s.annotators.map((a) => `${a.name} (${a.annotations})`).join(', ') : 'none identified'}`);
  if (s.facesWithVotes) lines.push(`anonymous votes: ${s.totalVotes} on ${s.facesWithVotes} faces`);
  lines.push(`agreement: ${s.agreement.facesWithMultipleLabels} multi-labelled faces, mean majority share ${pct(s.agreement.meanMajorityShare)}, unanimous ${pct(s.agreement.unanimousShare)}`);
  lines.push(`review decisions: ${s.relabels}; runs: ${s.runs}; models: ${s.models}`);
  return lines.join('\n');
}
