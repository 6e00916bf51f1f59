/** Writes the launcher page into `dir` (a private folder) and returns its file:// URL. */
export function writeLauncherPage(dir: string, url: string): string;
