import { runCli } from '../../apps/sessionctl/src/cli-program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs sessionctl in-process with captured output and exactly the given environment. */
export async function sessionctl(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

/** A line from a stack trace ("    at fn (file:1:2)"). */
export const STACK_LINE = /^\s+at /m;
