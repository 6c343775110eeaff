/**
 * `switchboard dev` (what `npm start` runs): embedded PostgreSQL, the emulator on 4010 and the
 * platform on 3000 in one process, the demo tenant's webhook endpoint on 4011, a demo seeded
 * through real paths, and a printed curl. Ctrl-C or SIGTERM stops the platform, the receiver, the
 * emulator, then PostgreSQL.
 */
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, onShutdown, type Logger } from '@switchboard/runtime';
import { createEmulator, readEmulatorConfig } from '@switchboard/emulator';
import { LOOPBACK_NETWORKS, readPlatformConfig } from '@switchboard/platform';
import { openDatabase } from '../database.js';
import { demoFilePath, readDemoFile, writeDemoFile } from '../demo/demo-file.js';
import { startDemoReceiver } from '../demo/demo-receiver.js';
import { demoBanner } from '../demo/print-demo.js';
import { demoApp, seedDemo } from '../demo/seed-demo.js';
import { startPlatform } from '../start-platform.js';
import { readDevConfig } from './dev-config.js';

function readConfigs(env: Record<string, string | undefined>) {
  // Both modules report their problems; collect them so one run shows all of them.
  const problems: string[] = [];
  const collect = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const platform = collect(() => readPlatformConfig(env));
  const emulator = collect(() => readEmulatorConfig(env));
  const dev = collect(() => readDevConfig(env));
  if (problems.length > 0 || !platform || !emulator || !dev) throw new ConfigError(problems);
  return { platform, emulator, dev };
}

export async function run(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {} });
  const base = readConfigs(process.env);
  const dataDir = base.platform.SWITCHBOARD_DATA_DIR;
  const previous = await readDemoFile(dataDir);
  const app = demoApp(previous);
  const emulatorUrl = `http://${base.emulator.EMULATOR_HOST}:${base.emulator.EMULATOR_PORT}`;
  // The platform talks to the emulator as it would to Meta, as the demo app; logs stay quiet
  // around the banner unless LOG_LEVEL says otherwise.
  const { platform: config } = readConfigs({
    ...process.env,
    GRAPH_API_URL: process.env.GRAPH_API_URL ?? emulatorUrl,
    META_APP_ID: app.app_id,
    META_APP_SECRET: app.app_secret,
    META_VERIFY_TOKEN: app.verify_token,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The demo tenant's receiver listens on this machine; production allows no loopback by default.
    SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS: process.env.SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS ?? LOOPBACK_NETWORKS.join(','),
  });
  const level = config.LOG_LEVEL;
  const logger: Logger = createLogger('switchboard', level);
  const print = (line: string) => process.stdout.write(`${line}\n`);

  const db = await openDatabase(config, logger.child({ name: 'postgres' }));
  const steps: Array<() => Promise<void>> = [() => db.close()];
  onShutdown(steps, print);
  try {
    const emulator = createEmulator({ logger: createLogger('emulator', level) });
    await emulator.listen(base.emulator.EMULATOR_PORT, base.emulator.EMULATOR_HOST);
    steps.unshift(() => emulator.close());

    const running = await startPlatform(config, db, createLogger('platform', level));
    steps.unshift(() => running.platform.close());

    let secret = previous?.webhook_secret ?? '';
    const receiverVerifyToken = `demo-${app.verify_token}`;
    const receiver = await startDemoReceiver({ port: base.dev.SWITCHBOARD_DEMO_WEBHOOK_PORT, host: config.HOST, secret: () => secret, verifyToken: receiverVerifyToken, print });
    steps.unshift(() => receiver.close());

    const demo = await seedDemo({
      sql: db.sql,
      box: running.box,
      app,
      platformUrl: running.url,
      emulatorUrl,
      operatorKey: running.operatorKey,
      receiver: { url: receiver.url, verifyToken: receiverVerifyToken },
      previous,
    });
    secret = demo.webhook_secret;
    await writeDemoFile(dataDir, demo);
    print(demoBanner(demo, demoFilePath(dataDir)));
  } catch (err) {
    // Leave nothing running behind a failed start, PostgreSQL included.
    for (const step of steps) await step().catch(() => undefined);
    throw err;
  }
}
