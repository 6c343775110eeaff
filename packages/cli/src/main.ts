/**
 * `switchboard <command>`: dispatches to a command module. Configuration errors print the list of
 * problems (each naming its variable) and exit 2, without a stack trace.
 */
import { ConfigError } from '@switchboard/runtime';
import { UsageError } from './usage-error.js';

const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<void> }> }> = {
  dev: { summary: 'embedded PostgreSQL + emulator + platform, with demo data (what npm start runs)', load: () => import('./commands/dev.js') },
  serve: { summary: 'the platform only', load: () => import('./commands/serve.js') },
  emulator: { summary: "the emulator of Meta's side only (--port N)", load: () => import('./commands/emulator.js') },
  migrate: { summary: 'apply database migrations and exit', load: () => import('./commands/migrate.js') },
  tenants: { summary: 'tenants: create --name X [--json]', load: () => import('./commands/tenants.js') },
  wabas: { summary: 'WABAs: attach --tenant T --waba W --token X [--json]', load: () => import('./commands/wabas.js') },
  contacts: { summary: 'contacts: import --tenant T --file F.csv|.json [--calling-code CC] [--proof TEXT] [--json]', load: () => import('./commands/contacts.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: switchboard <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from environment variables; see README.md.',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n\n${usage()}`);
  await (await command.load()).run(rest);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`switchboard: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`switchboard: ${err.message}\n`);
    process.exit(2);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`switchboard: ${message}\n`);
  if (process.env.SWITCHBOARD_DEBUG) console.error(err);
  process.exit(1);
});
