/** Where the CLI reads its environment and writes its output: process.* in main.ts, buffers in tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}
