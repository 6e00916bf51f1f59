// Lets the root `tsc` (which does not understand .svelte files) type-check renderer .ts files
// that import components; svelte-check resolves the real component types.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
