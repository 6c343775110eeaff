/** What every emulator module receives: state, clock, webhooks, the /{id} router, a logger. */
import type { Logger, VirtualClock } from '@switchboard/runtime';
import type { NodeRouter } from './graph/nodes.js';
import type { EmulatorState } from './state/state.js';
import type { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface EmulatorContext {
  state: EmulatorState;
  clock: VirtualClock;
  webhooks: WebhookDispatcher;
  nodes: NodeRouter;
  logger: Logger;
  /** The emulator's own base URL once listening (media download URLs point at it). */
  baseUrl(): string;
}
