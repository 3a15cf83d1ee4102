/** One input file as read from disk or a git tree: the only thing the pure core sees of IO. */
export interface SourceFile {
  /** Path relative to the repo root, POSIX separators. */
  path: string;
  text: string;
}
