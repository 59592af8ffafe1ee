/**
 * Reports progress of long work (ingestion, analyses). The CLI draws it as a
 * bar on a TTY; the server and tests pass `silentProgress`.
 */
export interface Progress {
  start(label: string, total?: number): void;
  update(done: number, total?: number): void;
  finish(summary: string): void;
}

export const silentProgress: Progress = {
  start() {},
  update() {},
  finish() {},
};
