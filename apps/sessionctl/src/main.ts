#!/usr/bin/env node
import { runCli } from './cli-program.js';

// Only wiring: the program itself (cli-program.ts) never touches process.*.
process.exitCode = await runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
