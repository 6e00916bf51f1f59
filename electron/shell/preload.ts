// The preload of the Electron window (sandboxed: only `electron` can be required; esbuild
// bundles the rest into preload.cjs). It exposes the contract and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { EXPOSED_GLOBAL, createExposedApi } from './preload-api.ts';

contextBridge.exposeInMainWorld(EXPOSED_GLOBAL, createExposedApi(ipcRenderer));
