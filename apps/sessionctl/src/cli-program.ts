import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { auditCommand } from './commands/audit.command.js';
import { eventsCommand } from './commands/events.command.js';
import { sessionsCommand } from './commands/sessions.command.js';
import { statsCommand } from './commands/stats.command.js';
import { tokenCommand } from './commands/token.command.js';
import { reportError } from './error-report.js';
import type { GlobalOptions } from './global-options.js';
import { Output } from './output.js';

/** The whole command tree. Nothing here exits the process: failures surface as thrown errors. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('sessionctl')
    .description('admin CLI of the session service')
    .option('--host <host>', 'service host (default: from $SESSION_SERVICE_URL, else 127.0.0.1)')
    .option('--port <port>', 'service TCP port (default: from $SESSION_SERVICE_URL, else 4000)')
    .option('--token <jwt>', 'service token with session:admin (default: $SESSION_SERVICE_TOKEN)')
    .option('--timeout <ms>', 'per-call timeout in milliseconds', '5000')
    .option('--json', 'print machine-readable JSON')
    .option('--verbose', 'print stack traces on errors')
    // Set before adding commands: subcommands copy these settings when they are added.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // Commander's error messages are reported by runCli (one line, or JSON with --json).
      outputError: () => undefined,
    });

  for (const command of [sessionsCommand(io), statsCommand(io), auditCommand(io), eventsCommand(io), tokenCommand(io)]) {
    program.addCommand(inheritSettings(command, program));
  }
  return program;
}

/** `addCommand` does not copy the parent's settings (only `.command()` does): apply them down the tree. */
function inheritSettings(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub, command);
  return command;
}

/** Runs sessionctl with `argv` (the arguments after the program name) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // A usage error can stop parsing before the global options are read: look at argv too.
    const globals = program.opts<GlobalOptions>();
    const verbose = globals.verbose === true || argv.includes('--verbose');
    const json = globals.json === true || argv.includes('--json');
    return reportError(error, new Output(io, json), verbose, (text) => void io.stderr.write(text));
  }
}
