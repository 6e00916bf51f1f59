// The Electron main process: one sandboxed, context-isolated window on app://renderer/, the
// service loaded in-process (the bundle dist/service.mjs, see load-service.ts), one IPC handler per contract
// request that checks the sender and validates the payload, service events forwarded to the
// window, faces through face://sample/<id>.png, exports saved where a save dialog says. Built by scripts/build.mjs into
// dist/electron/main.cjs; type-checked only where Electron is installed (electron/shell/tsconfig.json).
import { app, BrowserWindow, dialog, ipcMain, protocol, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { EVENT_NAMES, errorShapeOf, REQUEST_NAMES, validateParams, type RequestName } from '../../api/contract.ts';
import type { AppService } from '../service/app-service.ts';
import { AppLog } from '../service/app-log.ts';
import { userDataDir } from '../service/user-dirs.ts';
import { loadServiceModules, type ServiceModules } from './load-service.ts';
import { chosenPath, saveDialogSpec } from './save-dialog.ts';
import type { SaveRequest } from '../service/downloads/download-store.ts';
import { APP_ENTRY_URL, APP_SCHEME, ELECTRON_CSP, FACE_SCHEME, appUrlToRelativePath, eventChannel, isAppUrl, parseFaceUrl, requestChannel } from './shell-policy.ts';

// dist/electron/main.cjs -> the app root (repository or packaged resources).
const APP_ROOT = join(__dirname, '..', '..');
const RENDERER_DIR = join(APP_ROOT, 'dist', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function argValue(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}

/** A project to open: --project F, else a .arproj file the OS passed (file association on Windows and Linux). */
function projectArg(): string | null {
  return argValue('--project') ?? process.argv.slice(1).find((a) => a.toLowerCase().endsWith('.arproj')) ?? null;
}

// macOS hands a double-clicked .arproj over by event, possibly before the app is ready.
let openedFile: string | null = null;
let openFileLater: ((path: string) => void) | null = null;
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (openFileLater) openFileLater(path);
  else openedFile = path;
});

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: FACE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': ELECTRON_CSP } });
}

function registerProtocols(service: AppService, mods: ServiceModules): void {
  protocol.handle(APP_SCHEME, (request) => {
    const rel = appUrlToRelativePath(request.url);
    const file = rel ? join(RENDERER_DIR, rel) : null;
    if (!file || !existsSync(file)) return textResponse(404, 'not found (is the renderer built? npx vite build)');
    return new Response(readFileSync(file), {
      headers: { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': ELECTRON_CSP, 'X-Content-Type-Options': 'nosniff' },
    });
  });
  protocol.handle(FACE_SCHEME, async (request) => {
    const face = parseFaceUrl(request.url);
    if (!face) return textResponse(404, 'not a face URL');
    const db = service.project;
    if (!db) return textResponse(404, 'no project is open');
    try {
      const png = await mods.renderSamplePng(db, mods.parseSampleId(face.file), mods.parseImageSize(face.size));
      return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
    } catch (e) {
      const err = errorShapeOf(e, 'image');
      return textResponse(err.code === 'invalid_params' ? 400 : err.code === 'not_found' ? 404 : 500, err.message);
    }
  });
}

/** Only our own top-level renderer frame may call the service. */
function senderAllowed(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url) && !!mainWindow && event.sender === mainWindow.webContents;
}

function registerIpc(service: AppService): void {
  for (const name of REQUEST_NAMES as readonly RequestName[]) {
    ipcMain.handle(requestChannel(name), async (event, params: unknown) => {
      if (!senderAllowed(event)) {
        return { ok: false, error: { code: 'invalid_params', message: `${name}: refused: the sender is not the app's own window` } };
      }
      try {
        const valid = validateParams(name, params);
        return { ok: true, result: await service.call(name, valid) };
      } catch (e) {
        // The service is a separate bundle, so its ApiError is another class than ours: match by shape.
        return { ok: false, error: errorShapeOf(e, name) };
      }
    });
  }
  service.onEvent((name, payload) => {
    if (!(EVENT_NAMES as readonly string[]).includes(name)) return;
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel(name), payload);
  });
}

/** export.save: the save dialog, attached to the window, in the user's Documents folder. */
async function chooseSaveTarget(request: SaveRequest): Promise<string | null> {
  const spec = saveDialogSpec(request, app.getPath('documents'));
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, spec) : await dialog.showSaveDialog(spec);
  return chosenPath(result);
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'affect-relearn',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

async function main(): Promise<void> {
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  await app.whenReady();
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
  });

  const mods = await loadServiceModules(APP_ROOT);
  const service = new mods.AppService({ transport: 'electron', chooseSaveTarget: chooseSaveTarget });
  registerProtocols(service, mods);
  registerIpc(service);
  const { info, why } = await mods.openStartupProject(service, { project: openedFile ?? projectArg(), demo: process.argv.includes('--demo') });
  process.stdout.write(`affect-relearn (Electron): opened ${info.path} (${why})\n`);
  service.log.info(`Electron window: opened ${info.path} (${why})`);
  openFileLater = (path) => {
    service.openProject(path).catch((e: unknown) => service.log.error(`cannot open ${path}: ${e instanceof Error ? e.message : String(e)}`));
  };

  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void service.dispose());
}

// One app instance per user: a second launch would open the same projects and run their
// training jobs twice; it hands over to the first, which comes to the front, and quits.
if (!app.requestSingleInstanceLock()) {
  process.stdout.write('affect-relearn is already running: focusing its window\n');
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  main().catch((e: unknown) => {
    // The service may not exist yet: write the app's log file directly (a packaged app has no terminal).
    const text = `affect-relearn failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    process.stderr.write(`${text}\n`);
    new AppLog(join(userDataDir(), 'logs', 'affect-relearn.log')).error(text);
    app.exit(1);
  });
}
