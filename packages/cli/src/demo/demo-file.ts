/** .switchboard/demo.json: what `switchboard dev` seeded, for people and scripts, reused on the next start. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface DemoFile {
  platform_url: string;
  emulator_url: string;
  api_key: string;
  phone_number_id: string;
  waba_id: string;
  webhook_secret: string;
  template: { name: string; language: string };
  consumer_wa_id: string;
  /** Beyond the documented fields: what a restart needs to rebuild the same sandbox. */
  tenant_id: string;
  operator_key: string;
  /** The demo tenant's webhook endpoint (run by `switchboard dev`), where events arrive. */
  webhook_receiver_url: string;
  emulator: {
    app_id: string;
    app_secret: string;
    access_token: string;
    verify_token: string;
    business_id: string;
    display_phone_number: string;
  };
}

export function demoFilePath(dataDir: string): string {
  return join(dataDir, 'demo.json');
}

export async function readDemoFile(dataDir: string): Promise<DemoFile | undefined> {
  try {
    return JSON.parse(await readFile(demoFilePath(dataDir), 'utf8')) as DemoFile;
  } catch {
    return undefined;
  }
}

export async function writeDemoFile(dataDir: string, demo: DemoFile): Promise<void> {
  const path = demoFilePath(dataDir);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}
