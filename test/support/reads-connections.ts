import { READS_CONNECTION_NAME } from '../../libs/session/src/store/redis/read-pipeline.js';

/** The lines of a `CLIENT LIST` reply that are reads connections (read-pipeline.ts). */
export function readsConnectionLines(clientList: string): string[] {
  return clientList
    .trim()
    .split('\n')
    .filter((line) => line.includes(`name=${READS_CONNECTION_NAME}`));
}

/** The last command a `CLIENT LIST` line's connection ran (`cmd=`), or undefined for no line. */
export function lastCommand(line: string | undefined): string | undefined {
  return line === undefined ? undefined : /cmd=(\S+)/.exec(line)?.[1];
}
