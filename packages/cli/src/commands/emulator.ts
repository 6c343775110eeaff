/** `switchboard emulator [--port N]`: Meta's side alone, for developers of WhatsApp apps. */
import { parseArgs } from 'node:util';
import { createLogger, onShutdown } from '@switchboard/runtime';
import { createEmulator, readEmulatorConfig } from '@switchboard/emulator';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, host: { type: 'string' } } });
  const config = readEmulatorConfig({
    ...process.env,
    ...(values.port !== undefined ? { EMULATOR_PORT: values.port } : {}),
    ...(values.host !== undefined ? { EMULATOR_HOST: values.host } : {}),
  });
  const logger = createLogger('emulator', config.LOG_LEVEL);
  const emulator = createEmulator({ logger });
  const url = await emulator.listen(config.EMULATOR_PORT, config.EMULATOR_HOST);
  logger.info({ url }, 'emulator listening');
  process.stdout.write(`emulator listening on ${url}\n  sandbox in one call: curl -X POST ${url}/_emulator/fixtures\n`);
  onShutdown([() => emulator.close()], (msg) => logger.info(msg));
}
