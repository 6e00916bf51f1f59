// Entry point: mounts the app shell. Loaded as an external module script (the CSP allows no
// inline scripts).
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target });
