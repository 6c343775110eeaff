/** The emulator's environment, read and validated once at boot. */
import { parsers, readConfig } from '@switchboard/runtime';

export const emulatorSpec = {
  EMULATOR_PORT: { parse: parsers.port, default: '4010', description: 'Port the emulator listens on.' },
  EMULATOR_HOST: { parse: parsers.string, default: '127.0.0.1', description: 'Address the emulator binds to.' },
  LOG_LEVEL: { parse: parsers.logLevel, default: 'info', description: 'pino log level (fatal … trace, silent).' },
};

export type EmulatorConfig = ReturnType<typeof readEmulatorConfig>;

export function readEmulatorConfig(env: Record<string, string | undefined>) {
  return readConfig(emulatorSpec, env);
}
