/**
 * `switchboard dev` (what `npm start` runs): embedded PostgreSQL, the emulator on 4010 and the
 * platform on 3000 in one process, a demo seeded through real paths, and a printed curl. Ctrl-C or
 * SIGTERM stops the platform, then the emulator, then PostgreSQL.
 */
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, onShutdown, type Logger } from '@switchboard/runtime';
import { createEmulator, readEmulatorConfig } from '@switchboard/emulator';
import { readPlatformConfig } from '@switchboard/platform';
import { openDatabase } from '../database.js';
import { demoFilePath, readDemoFile, writeDemoFile } from '../demo/demo-file.js';
import { demoBanner } from '../demo/print-demo.js';
import { seedDemo } from '../demo/seed-demo.js';
import { startPlatform } from '../start-platform.js';

function readConfigs(env: Record<string, string | undefined>) {
  // Both modules report their problems; collect them so one run shows all of them.
  const problems: string[] = [];
  let platform: ReturnType<typeof readPlatformConfig> | undefined;
  let emulator: ReturnType<typeof readEmulatorConfig> | undefined;
  try {
    platform = readPlatformConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  try {
    emulator = readEmulatorConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !platform || !emulator) throw new ConfigError(problems);
  return { platform, emulator };
}

export async function run(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {} });
  const base = readConfigs(process.env);
  const dataDir = base.platform.SWITCHBOARD_DATA_DIR;
  const previous = await readDemoFile(dataDir);
  const emulatorUrl = `http://${base.emulator.EMULATOR_HOST}:${base.emulator.EMULATOR_PORT}`;
  // The platform talks to the emulator as it would to Meta, with the demo app's secret.
  // Development defaults: quiet logs around the banner (LOG_LEVEL overrides).
  const { platform: config } = readConfigs({
    ...process.env,
    GRAPH_API_URL: process.env.GRAPH_API_URL ?? emulatorUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const level = config.LOG_LEVEL;
  const logger: Logger = createLogger('switchboard', level);

  const db = await openDatabase(config, logger.child({ name: 'postgres' }));
  const steps: Array<() => Promise<void>> = [];
  onShutdown(steps, (msg) => process.stdout.write(`${msg}\n`));
  steps.push(() => db.close());

  try {
    const emulator = createEmulator({ logger: createLogger('emulator', level) });
    await emulator.listen(base.emulator.EMULATOR_PORT, base.emulator.EMULATOR_HOST);
    steps.unshift(() => emulator.close());

    const running = await startPlatform(config, db, createLogger('platform', level));
    steps.unshift(() => running.platform.close());

    const demo = await seedDemo({
      sql: db.sql,
      box: running.box,
      platformUrl: running.url,
      emulatorUrl,
      operatorKey: running.operatorKey,
      previous,
    });
    await writeDemoFile(dataDir, demo);
    process.stdout.write(demoBanner(demo, demoFilePath(dataDir)));
  } catch (err) {
    // Leave nothing running behind a failed start, PostgreSQL included.
    for (const step of steps) await step().catch(() => undefined);
    throw err;
  }
}
