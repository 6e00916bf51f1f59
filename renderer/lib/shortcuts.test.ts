import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpretKey, SHORTCUT_HELP, VIEWS, type KeyInput } from './shortcuts.ts';

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, inTextField: false, ...extra });

test('Alt+1..7 go to the seven views in navigation order, by code when the layout changes the key', () => {
  assert.deepEqual(interpretKey(key('1', { altKey: true }), false), { kind: 'view', view: 'project' });
  assert.deepEqual(interpretKey(key('¡', { altKey: true, code: 'Digit3' }), false), { kind: 'view', view: 'evaluation' });
  assert.deepEqual(interpretKey(key('6', { altKey: true }), false), { kind: 'view', view: 'relearn' });
  assert.deepEqual(interpretKey(key('7', { altKey: true }), false), { kind: 'view', view: 'map' });
  assert.equal(interpretKey(key('8', { altKey: true }), false), null);
});

test('"g" then a letter navigates; plain letters in a text field type instead', () => {
  assert.deepEqual(interpretKey(key('g'), false), { kind: 'pending-g' });
  assert.deepEqual(interpretKey(key('t'), true), { kind: 'view', view: 'training' });
  assert.equal(interpretKey(key('x'), true), null);
  assert.equal(interpretKey(key('g', { inTextField: true }), false), null);
  assert.equal(interpretKey(key('?', { inTextField: true }), false), null);
  assert.deepEqual(interpretKey(key('?'), false), { kind: 'help' });
  assert.deepEqual(interpretKey(key('Escape', { inTextField: true }), false), { kind: 'close' });
});

test('every view has a distinct letter and a line in the help', () => {
  assert.equal(new Set(VIEWS.map((v) => v.letter)).size, VIEWS.length);
  for (const v of VIEWS) assert.ok(SHORTCUT_HELP.some((h) => h.what.includes(v.label)), v.label);
});

test('"?" opens the help whatever has focus, except a field where it is typed', () => {
  const base = { key: '?', altKey: false, ctrlKey: false, metaKey: false };
  assert.deepEqual(interpretKey({ ...base, inTextField: false }, false), { kind: 'help' });
  // A select or a number field: no "?" to type there.
  assert.deepEqual(interpretKey({ ...base, inTextField: true, typesText: false }, false), { kind: 'help' });
  assert.equal(interpretKey({ ...base, inTextField: true, typesText: true }, false), null);
  assert.equal(interpretKey({ ...base, inTextField: true }, false), null);
  // Letters still type in a select's type-ahead instead of navigating.
  assert.equal(interpretKey({ ...base, key: 'g', inTextField: true, typesText: false }, false), null);
});
