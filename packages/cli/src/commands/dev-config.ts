/** What `switchboard dev` adds to the platform's and the emulator's settings. */
import { parsers, readConfig } from '@switchboard/runtime';

export const devSpec = {
  SWITCHBOARD_DEMO_WEBHOOK_PORT: {
    parse: parsers.port,
    default: '4011',
    description: "Port of the demo tenant's webhook endpoint that `switchboard dev` runs (events are printed as they arrive).",
  },
};

export function readDevConfig(env: Record<string, string | undefined>) {
  return readConfig(devSpec, env);
}
