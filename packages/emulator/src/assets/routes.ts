/**
 * Graph API and control routes of the assets module: businesses, WABAs, phone numbers and their
 * registration, business profiles, display names, app and WABA webhook subscriptions, tokens,
 * quality and limits, fixtures and fault injection.
 */
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.js';
import { registerFaults } from '../control/faults.js';
import { registerFixtureRoutes } from '../control/fixtures.js';
import { registerAppSubscriptionRoutes } from './app-subscriptions.js';
import { registerAssetControlRoutes } from './asset-controls.js';
import { registerAssignedUsersRoutes } from './assigned-users.js';
import { registerBusinessProfileRoutes } from './business-profile.js';
import { registerBusinessRoutes } from './businesses.js';
import { registerPhoneNumberRoutes } from './phone-numbers.js';
import { registerRegistrationRoutes } from './registration.js';
import { registerSubscribedAppsRoutes } from './subscribed-apps.js';
import { registerTokenRoutes } from './tokens.js';
import { registerWabaNode } from './wabas.js';

export function registerAssetsRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  registerFaults(app, ctx);
  registerBusinessRoutes(app, ctx);
  registerWabaNode(ctx);
  registerPhoneNumberRoutes(app, ctx);
  registerRegistrationRoutes(app, ctx);
  registerBusinessProfileRoutes(app, ctx);
  registerSubscribedAppsRoutes(app, ctx);
  registerAssignedUsersRoutes(app, ctx);
  registerAppSubscriptionRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerAssetControlRoutes(app, ctx);
  registerFixtureRoutes(app, ctx);
}
