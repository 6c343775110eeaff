/** README's configuration tables name every variable the servers read, so the docs stay true. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { emulatorSpec } from '@switchboard/emulator';
import { platformSpec } from '@switchboard/platform';
import { devSpec } from '../src/commands/dev-config.js';

describe('README', () => {
  it('documents every environment variable', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of [...Object.keys(platformSpec), ...Object.keys(emulatorSpec), ...Object.keys(devSpec)]) {
      expect(readme, name).toContain(`\`${name}\``);
    }
  });
});
