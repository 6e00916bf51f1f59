import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpretReviewKey, type ReviewKeyInput } from './review-keys.ts';

const key = (k: string, over: Partial<ReviewKeyInput> = {}) => interpretReviewKey({ key: k, altKey: false, ctrlKey: false, metaKey: false, inControl: false, afterG: false, ...over });

test('review keys: moves, relabels 1-8 to classes 0-7, decisions and undo', () => {
  assert.deepEqual(key('j'), { kind: 'move', delta: 1, unit: 'face' });
  assert.deepEqual(key('ArrowLeft'), { kind: 'move', delta: -1, unit: 'face' });
  assert.deepEqual(key('ArrowDown'), { kind: 'move', delta: 1, unit: 'row' });
  assert.deepEqual(key('1'), { kind: 'relabel', label: 0 });
  assert.deepEqual(key('8'), { kind: 'relabel', label: 7 });
  assert.equal(key('9'), null);
  assert.equal(key('0'), null);
  assert.deepEqual(key('Enter'), { kind: 'confirm' });
  assert.deepEqual(key('c'), { kind: 'confirm' });
  assert.deepEqual(key('a'), { kind: 'ambiguous' });
  assert.deepEqual(key('n'), { kind: 'not_face' });
  assert.deepEqual(key('u'), { kind: 'undo' });
  assert.deepEqual(key('z', { ctrlKey: true }), { kind: 'undo' });
  assert.deepEqual(key('PageDown'), { kind: 'move', delta: 1, unit: 'page' });
  assert.deepEqual(key('End'), { kind: 'jump', to: 'last' });
});

test('review keys stay out of the way: in controls, after "g", with Alt/Meta, Ctrl+other', () => {
  assert.equal(key('j', { inControl: true }), null);
  assert.equal(key('3', { inControl: true }), null);
  // "g a" switches to the Annotators view; it must not also mark the face ambiguous.
  assert.equal(key('a', { afterG: true }), null);
  assert.equal(key('2', { altKey: true }), null);
  assert.equal(key('c', { ctrlKey: true }), null);
  assert.equal(key('z', { metaKey: true }), null);
  assert.equal(key('z', { ctrlKey: true, inControl: true }), null);
  // Esc in a filter hands the keyboard back to the faces.
  assert.deepEqual(key('Escape', { inControl: true }), { kind: 'leave-control' });
  // Out of a field Esc clears the selection of faces.
  assert.deepEqual(key('Escape'), { kind: 'clear-select' });
});

test('held keys: a repeated decision key does nothing, a repeated move still moves', () => {
  for (const k of ['Enter', 'c', '3', 'a', 'n', 'u']) assert.equal(key(k, { repeat: true }), null, `repeat of ${k}`);
  assert.equal(key('z', { ctrlKey: true, repeat: true }), null);
  assert.deepEqual(key('Enter', { repeat: false }), { kind: 'confirm' });
  assert.deepEqual(key('j', { repeat: true }), { kind: 'move', delta: 1, unit: 'face' });
  assert.deepEqual(key('End', { repeat: true }), { kind: 'jump', to: 'last' });
});

test('review tool keys: suggestion, selection, bulk accept, note and tag; held ones do nothing', () => {
  assert.deepEqual(key('s'), { kind: 'accept-suggestion' });
  assert.deepEqual(key('S'), { kind: 'accept-selected' });
  assert.deepEqual(key('x'), { kind: 'toggle-select' });
  assert.deepEqual(key('J'), { kind: 'extend-select', delta: 1 });
  assert.deepEqual(key('K'), { kind: 'extend-select', delta: -1 });
  assert.deepEqual(key('ArrowRight', { shiftKey: true }), { kind: 'extend-select', delta: 1 });
  assert.deepEqual(key('ArrowLeft', { shiftKey: true }), { kind: 'extend-select', delta: -1 });
  assert.deepEqual(key('ArrowRight'), { kind: 'move', delta: 1, unit: 'face' });
  assert.deepEqual(key('m'), { kind: 'note' });
  assert.deepEqual(key('t'), { kind: 'tag' });
  // A held s or S must not accept suggestions of faces never looked at; a held x must not flicker the selection.
  for (const k of ['s', 'S', 'x']) assert.equal(key(k, { repeat: true }), null, `repeat of ${k}`);
  assert.deepEqual(key('J', { repeat: true }), { kind: 'extend-select', delta: 1 });
  for (const k of ['s', 'S', 'x', 'm', 't']) assert.equal(key(k, { inControl: true }), null, `${k} types in a field`);
});
