/**
 * The `giftlab` entry point: parses flags with commander, runs one command, maps errors to exit codes.
 * The only place that decides an exit code; commands throw `ExitError`s.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { COMMANDS, type CommandSpec, type Io } from './commands.ts';
import { EXIT, ExitError, exitCodesLine, InputError } from './errors.ts';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function buildProgram(io: Io, onAction: (run: () => Promise<number>) => void): Command {
  const program = new Command('giftlab')
    .description('Simulate live-stream gifting economies, load-test gifting backends, audit their ledgers.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
  for (const spec of COMMANDS) addCommand(program, spec, io, onAction);
  program.addHelpText('after', `\n${exitCodesLine()}`);
  return program;
}

function addCommand(
  program: Command,
  spec: CommandSpec,
  io: Io,
  onAction: (run: () => Promise<number>) => void,
): void {
  const cmd = program.command(spec.usage).description(spec.summary).exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: () => {},
  });
  spec.configure?.(cmd);
  cmd.addHelpText('after', `\nExample:\n  $ ${spec.example}`);
  cmd.action((...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    onAction(async () => {
      refuseEmptyArguments(command);
      return spec.run(command.args, command.opts(), io);
    });
  });
}

/**
 * Every positional argument is a path (a scenario, run folders, events files): an empty one — an unset
 * shell variable — would resolve to the working directory and be blamed as "a directory".
 */
function refuseEmptyArguments(command: Command): void {
  const names = command.registeredArguments.map((a) => a.name());
  command.args.forEach((arg, i) => {
    if (arg.trim() === '')
      throw new InputError({
        field: names[Math.min(i, names.length - 1)] ?? 'argument',
        expected: 'a path',
        found: 'an empty argument',
      });
  });
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let action: (() => Promise<number>) | undefined;
  try {
    buildProgram(io, (run) => {
      action = run;
    }).parse(argv, { from: 'user' });
    if (action === undefined) return EXIT.ok;
    return await action();
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    if (
      error.exitCode === 0 ||
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version'
    )
      return EXIT.ok;
    io.stderr.write(`giftlab: ${error.message.replace(/^error: /, '')}\n`);
    return EXIT.badInput;
  }
  if (error instanceof InputError) {
    io.stderr.write(`giftlab: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof ExitError) {
    io.stderr.write(`giftlab: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`giftlab: internal error: ${message.split('\n')[0]}\n`);
  if (process.env.GIFTLAB_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write('giftlab: set GIFTLAB_DEBUG=1 for the stack trace, and please report it.\n');
  return EXIT.internal;
}

function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
