// METHOD.md's constants as run options: the table's defaults are the trainers' defaults, every
// trainer setting is either an option or named here as an engine detail, values set on a run
// reach the trainer, and an option a kind ignores is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_KINDS } from '../../../api/contract.ts';
import { METHOD_OPTION_SPECS, methodOptionsFor } from '../../../api/method-options.ts';
import { initBackend } from '../../../core/backend/init-backend.ts';
import { resolveCnnConfig } from '../../../core/models/cnn/cnn-config.ts';
import { resolveDbnConfig } from '../../../core/models/dbn/dbn-config.ts';
import { plantedTrainingData } from '../../../core/models/dbn/planted-data.ts';
import { createTrainer } from '../../../core/train/create-trainer.ts';
import { METHOD_OPTION_TARGETS, effectiveMethodOptions } from './method-config.ts';
import { trainerConfig } from './training-config.ts';
import { runConfig } from './training-job.ts';

const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], o);

function leaves(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

test("every option's default is the trainer's own default at the path it sets", () => {
  for (const s of METHOD_OPTION_SPECS) {
    const t = METHOD_OPTION_TARGETS[s.key];
    for (const kind of s.kinds) {
      if (kind === 'cnn') {
        assert.ok(t.cnn, `${s.key} applies to cnn but has no CnnConfig path`);
        assert.deepEqual(at(resolveCnnConfig(), t.cnn), t.cnnValue ? t.cnnValue(s.default) : s.default, `${s.key} (cnn)`);
      } else {
        assert.ok(t.dbn, `${s.key} applies to ${kind} but has no DbnConfig path`);
        assert.deepEqual(at(resolveDbnConfig(kind), t.dbn), s.default, `${s.key} (${kind})`);
      }
    }
  }
});

test('every trainer setting is a run option or a named engine detail', () => {
  const fromOptions = {
    dbn: ['initialUnits', 'hiddenUnits', 'maxEpochsPerLayer', 'fineTuneEpochs', 'patience', 'useSoftTargets', 'rules.maxLayers', 'mlp.learningRate', 'mlp.batchSize', 'rbm.batchSize'],
    cnn: ['maxEpochs', 'batchSize', 'learningRate', 'patience'],
  };
  // Not METHOD constants: the kind switch, the visible type (follows gaussianFirstLayer), Adam's
  // own constants, initialisations of the supervised nets, the fixed CNN architecture widths,
  // BN statistics and the inference batch size.
  const engine = {
    dbn: ['adaptive', 'rbm.visibleType', 'mlp.beta1', 'mlp.beta2', 'mlp.epsilon', 'mlp.initWeightStd'],
    cnn: ['filters', 'denseUnits', 'adamBeta1', 'adamBeta2', 'adamEpsilon', 'bnMomentum', 'bnEpsilon', 'inferenceBatchSize'],
  };
  const targets = Object.values(METHOD_OPTION_TARGETS);
  for (const [family, config] of [['dbn', resolveDbnConfig('adbn')], ['cnn', resolveCnnConfig()]] as const) {
    const covered = new Set([...fromOptions[family], ...engine[family], ...targets.map((t) => t[family]).filter((p): p is string => !!p)]);
    const missing = leaves(config as unknown as Record<string, unknown>).filter((k) => !covered.has(k));
    assert.deepEqual(missing, [], `${family} settings that are neither an option nor a named engine detail`);
  }
});

test('values set on a run reach the trainer configuration beside the plain options', () => {
  const adbn = resolveDbnConfig('adbn', trainerConfig('adbn', runConfig('adbn', { maxLayers: 2, batchSize: 32, method: { thetaG: 1e-3, maxUnits: 300, weightDecay: 0, gaussianLearningRate: 0.002 } }).options) as never);
  assert.equal(adbn.rules.thetaG, 1e-3);
  assert.equal(adbn.rules.maxUnits, 300);
  assert.equal(adbn.rules.maxLayers, 2);
  assert.equal(adbn.rules.thetaA, 0.01, 'an option left out keeps its default');
  assert.equal(adbn.rbm.weightDecay, 0);
  assert.equal(adbn.rbm.batchSize, 32);
  assert.equal(adbn.gaussianLearningRate, 0.002);
  const cnn = resolveCnnConfig(trainerConfig('cnn', runConfig('cnn', { epochs: 2, method: { classWeighting: 'balanced', dropout: 0.5, horizontalFlip: false } }).options) as never);
  assert.deepEqual([cnn.classWeights, cnn.dropout, cnn.horizontalFlip, cnn.maxEpochs], ['balanced', 0.5, false, 2]);
  assert.equal(resolveCnnConfig(trainerConfig('cnn', runConfig('cnn', {}).options) as never).classWeights, null);
});

test('a run records every constant its kind reads, and refuses one its kind ignores', () => {
  for (const kind of MODEL_KINDS) {
    const recorded = runConfig(kind, { method: kind === 'cnn' ? { dropout: 0.1 } : { weightDecay: 0 } }).options.method ?? {};
    assert.deepEqual(Object.keys(recorded).sort(), methodOptionsFor(kind).map((s) => s.key).sort());
  }
  assert.equal(runConfig('adbn', { method: { epsE: 0.05 } }).options.method?.epsE, 0.05);
  assert.equal(runConfig('adbn', {}).options.method?.thetaG, 5e-4);
  assert.throws(() => effectiveMethodOptions('cnn', { thetaG: 1 }), /options\.method\.thetaG \(θ_G\) applies to adbn, not cnn/);
  assert.throws(() => effectiveMethodOptions('adbn', { minUnits: 50, maxUnits: 40 }), /minUnits \(50\) must not exceed maxUnits \(40\)/);
});

test('θ_G set on a run decides whether units are split', async () => {
  await initBackend();
  const data = plantedTrainingData(256, 64, 8, 7);
  const splits = async (thetaG: number) => {
    const base = { pretrainEpochs: 1, epochs: 1, hiddenUnits: [16], maxLayers: 1, method: { thetaG } };
    const t = createTrainer('adbn', runConfig('adbn', base).trainer, data, 1);
    try {
      const r = await t.step();
      return r.events.filter((e) => e.kind === 'generation').length;
    } finally {
      t.dispose();
    }
  };
  assert.equal(await splits(1e6), 0, 'no unit walks that far');
  assert.equal(await splits(0), 1, 'every unit walks more than 0: the first epoch splits');
});
