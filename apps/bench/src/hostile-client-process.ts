/**
 * Runs one hostile client pattern (hostile-clients.ts) in a process of its own, so that its
 * load does not slow the process that measures the normal callers. Usage:
 * `node hostile-client-process.js '<json>'` with `{ "pattern": "trickle" | "silent" | "slow", "port": n, ...options }`;
 * prints the outcome as one JSON line.
 */
import { silentConnections, slowSender, tricklePartialFrames, type HostileOutcome } from './hostile-clients.js';

type Job =
  | ({ pattern: 'trickle'; port: number } & Parameters<typeof tricklePartialFrames>[1])
  | ({ pattern: 'silent'; port: number } & Parameters<typeof silentConnections>[1])
  | ({ pattern: 'slow'; port: number } & Parameters<typeof slowSender>[1]);

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
let outcome: HostileOutcome;
if (job.pattern === 'trickle') outcome = await tricklePartialFrames(job.port, job);
else if (job.pattern === 'silent') outcome = await silentConnections(job.port, job);
else if (job.pattern === 'slow') outcome = await slowSender(job.port, job);
else throw new Error(`unknown pattern in ${process.argv[2]}`);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
process.exit(0);
