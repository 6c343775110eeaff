/**
 * What `GET /{waba-id}` (and the business WABA edges) can show of a WABA (reference §1.7).
 * Default fields: id, name, timezone_id, message_template_namespace.
 */
import type { EmulatorContext } from '../context.js';
import type { Principal } from '../graph/auth.js';
import type { Waba } from '../state/types.js';
import type { Presenters } from './fields.js';

export const WABA_DEFAULT_FIELDS = ['id', 'name', 'timezone_id', 'message_template_namespace'];
export const WABA_NODE_TYPE = 'WhatsAppBusinessAccount';

export function wabaPresenters(ctx: EmulatorContext, waba: Waba, principal: Principal): Presenters {
  const owner = ctx.state.businesses.get(waba.businessId);
  const viewerBusiness = principal.kind === 'user' ? principal.token.businessId : undefined;
  return {
    id: () => waba.id,
    name: () => waba.name,
    timezone_id: () => waba.timezoneId,
    message_template_namespace: () => waba.messageTemplateNamespace,
    currency: () => waba.currency,
    account_review_status: () => waba.accountReviewStatus,
    business_verification_status: () => owner?.verificationStatus,
    ownership_type: () => (viewerBusiness === undefined || viewerBusiness === waba.businessId ? 'SELF_OWNED' : 'CLIENT_OWNED'),
    owner_business_info: () => (owner ? { id: owner.id, name: owner.name } : undefined),
    on_behalf_of_business_info: () => (owner ? { id: owner.id, name: owner.name } : undefined),
    whatsapp_business_manager_messaging_limit: () => owner?.messagingLimitTier,
    is_enabled_for_insights: () => false,
    health_status: () => {
      const wabaState = waba.accountReviewStatus === 'APPROVED' ? 'AVAILABLE' : waba.accountReviewStatus === 'REJECTED' ? 'BLOCKED' : 'LIMITED';
      const businessState = owner?.verificationStatus === 'verified' ? 'AVAILABLE' : 'LIMITED';
      const entities = [
        { entity_type: 'WABA', id: waba.id, can_send_message: wabaState },
        ...(owner ? [{ entity_type: 'BUSINESS', id: owner.id, can_send_message: businessState }] : []),
      ];
      const worst = entities.some((e) => e.can_send_message === 'BLOCKED') ? 'BLOCKED' : entities.some((e) => e.can_send_message === 'LIMITED') ? 'LIMITED' : 'AVAILABLE';
      return { can_send_message: worst, entities };
    },
  };
}
