/**
 * Where the app keeps its small per-user state: the config dir (recent projects) and the data
 * dir (the demo project), following each platform's convention. AFFECT_RELEARN_CONFIG_DIR and
 * AFFECT_RELEARN_DATA_DIR override them (tests, portable installs).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_DIR = 'affect-relearn';

export function userConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.AFFECT_RELEARN_CONFIG_DIR) return env.AFFECT_RELEARN_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR);
}

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.AFFECT_RELEARN_DATA_DIR) return env.AFFECT_RELEARN_DATA_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), APP_DIR);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR);
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), APP_DIR);
}

/** The demo project's default location, e.g. ~/.local/share/affect-relearn/demo.arproj. */
export function defaultDemoPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), 'demo.arproj');
}
