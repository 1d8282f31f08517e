/**
 * How the screens name an accounting file: by its last path segment, and with its host where two
 * hosts' files may share a name ("mta1 · acct-2026-11-21-0000.csv"). The worker stores the path it
 * followed; on a Windows host that path has backslashes.
 */
export function fileBaseName(path: string): string {
  return path.split(/[\\/]/).at(-1) || path;
}

/** A file named with its host: "mta1 · acct-2026-11-21-0000.csv". */
export function fileLabel(file: { source: string; path: string }): string {
  return `${file.source} · ${fileBaseName(file.path)}`;
}
