export * from './emulator.js';
export * from './config.js';
export type { EmulatorContext } from './context.js';
export type { FixtureResult } from './control/fixtures.js';
