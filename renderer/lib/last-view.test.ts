import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadLastView, saveLastView } from './last-view.ts';

function memory(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

test('the last view comes back; nothing stored or a foreign value gives the Project view', () => {
  const m = memory();
  assert.equal(loadLastView(m), 'project');
  saveLastView('review', m);
  assert.equal(loadLastView(m), 'review');
  m.data.set('affect-relearn.view', 'settings');
  assert.equal(loadLastView(m), 'project');
  const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
  assert.equal(loadLastView(refusing), 'project');
  saveLastView('review', refusing);
});
