/**
 * vi.waitFor gives up after 1 s by default. Tests use it for real I/O (a webhook reaching a local
 * receiver, a lane committing a round), which on a loaded 2-core CI machine can take longer; the
 * wait ends as soon as the condition holds, so a longer ceiling costs passing tests nothing.
 */
import { vi } from 'vitest';

const waitFor = vi.waitFor.bind(vi);
vi.waitFor = ((callback: Parameters<typeof vi.waitFor>[0], options?: Parameters<typeof vi.waitFor>[1]) =>
  waitFor(callback, typeof options === 'number' ? options : { timeout: 15_000, interval: 50, ...options })) as typeof vi.waitFor;
