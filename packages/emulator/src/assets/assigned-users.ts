/**
 * System users' access to a WABA (reference §1.7):
 *   GET    /{waba-id}/assigned_users?business=<id>           users of that business with access, and their tasks
 *   POST   /{waba-id}/assigned_users?user=<id>&tasks=[...]   grant; the user's tokens may then use the WABA
 *   DELETE /{waba-id}/assigned_users?user=<id>               revoke
 * Only system-user tokens may grant (an app token gets 200). The WABA's owner may grant any system
 * user, which stands in for sharing the WABA with the user's (partner) business and assigning the
 * user in one step; a partner with access may grant its own business's users.
 */
import type { FastifyInstance } from 'fastify';
import { invalidParameter, noPermission } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { SystemUser, Waba } from '../state/types.js';
import { wabaCall } from './access.js';
import { paginate } from './paging.js';
import { idParam, optionalList, paramsOf, requiredString } from './params.js';

export const WABA_TASKS = [
  'MANAGE', 'DEVELOP', 'MANAGE_TEMPLATES', 'MANAGE_PHONE', 'VIEW_COST', 'MANAGE_EXTENSIONS', 'VIEW_PHONE_ASSETS',
  'MANAGE_PHONE_ASSETS', 'VIEW_TEMPLATES', 'VIEW_INSIGHTS', 'RECEIVE_INCOMING_MESSAGES', 'MANAGE_BILLING', 'MANAGE_USERS',
  'MESSAGING', 'FULL_CONTROL',
] as const;

export function registerAssignedUsersRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/:id/assigned_users', async (request) => {
    const { waba } = wabaCall(ctx, request, idParam(request));
    const businessId = requiredString(paramsOf(request), 'business');
    const business = ctx.state.businesses.get(businessId);
    const users = [...waba.assignedUsers].flatMap(([userId, tasks]) => {
      const user = ctx.state.systemUsers.get(userId);
      return user && user.businessId === businessId ? [{ user, tasks }] : [];
    });
    return paginate(ctx, request, users, (u) => u.user.id, ({ user, tasks }) => ({
      id: user.id,
      name: user.name,
      user_type: 'SYSTEM_USER',
      tasks,
      ...(business ? { business: { id: business.id, name: business.name } } : {}),
    }));
  });

  app.post('/:id/assigned_users', async (request) => {
    const { principal, waba } = wabaCall(ctx, request, idParam(request));
    if (principal.kind !== 'user') throw noPermission();
    const params = paramsOf(request);
    const user = systemUserFor(ctx, waba, principal.token.businessId, requiredString(params, 'user'));
    const tasks = optionalList(params, 'tasks');
    if (!tasks || tasks.length === 0) throw invalidParameter('Param tasks is required: a list such as ["MANAGE"].');
    for (const task of tasks) {
      if (!(WABA_TASKS as readonly string[]).includes(task)) throw invalidParameter(`Param tasks has an unknown task ${task}; use ${WABA_TASKS.join(', ')}.`);
    }
    waba.assignedUsers.set(user.id, [...new Set(tasks)]);
    for (const token of ctx.state.tokens.values()) if (token.userId === user.id) token.wabaIds.add(waba.id);
    return { success: true };
  });

  app.delete('/:id/assigned_users', async (request) => {
    const { principal, waba } = wabaCall(ctx, request, idParam(request));
    if (principal.kind !== 'user') throw noPermission();
    const user = systemUserFor(ctx, waba, principal.token.businessId, requiredString(paramsOf(request), 'user'));
    waba.assignedUsers.delete(user.id);
    for (const token of ctx.state.tokens.values()) if (token.userId === user.id) token.wabaIds.delete(waba.id);
    return { success: true };
  });
}

function systemUserFor(ctx: EmulatorContext, waba: Waba, callerBusinessId: string, userId: string): SystemUser {
  const user = ctx.state.systemUsers.get(userId);
  if (!user || (user.businessId !== callerBusinessId && callerBusinessId !== waba.businessId)) {
    throw invalidParameter(`Param user must be a system user of your business; ${userId} is not.`);
  }
  return user;
}
