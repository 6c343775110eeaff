/**
 * What `GET /{phone-number-id}` and `GET /{waba-id}/phone_numbers` can show of a number
 * (reference §1.4). Default fields: id, display_phone_number, verified_name,
 * code_verification_status, quality_rating.
 */
import type { EmulatorContext } from '../context.js';
import type { Principal } from '../graph/auth.js';
import type { PhoneNumber } from '../state/types.js';
import { countryDialCode } from './create-assets.js';
import type { Presenters } from './fields.js';
import { graphTime } from './graph-time.js';

export const PHONE_DEFAULT_FIELDS = ['id', 'display_phone_number', 'verified_name', 'code_verification_status', 'quality_rating'];
export const PHONE_NODE_TYPE = 'WhatsAppBusinessPhoneNumber';

type CanSend = 'AVAILABLE' | 'LIMITED' | 'BLOCKED';
interface HealthEntity {
  entity_type: 'PHONE_NUMBER' | 'WABA' | 'BUSINESS' | 'APP';
  id: string;
  can_send_message: CanSend;
  errors?: Array<{ error_code: number; error_description: string; possible_solution: string }>;
}

export function phonePresenters(ctx: EmulatorContext, phone: PhoneNumber, principal: Principal): Presenters {
  const waba = ctx.state.wabas.get(phone.wabaId);
  const business = waba ? ctx.state.businesses.get(waba.businessId) : undefined;
  return {
    id: () => phone.id,
    display_phone_number: () => phone.displayPhoneNumber,
    verified_name: () => phone.verifiedName,
    // Meta's OpenAPI enums: VERIFIED|UNVERIFIED and GREEN|YELLOW|RED|NA (older Graph answers and
    // SDK code also show NOT_VERIFIED and UNKNOWN; we answer as the OpenAPI description says).
    code_verification_status: () => (phone.codeVerificationStatus === 'NOT_VERIFIED' ? 'UNVERIFIED' : phone.codeVerificationStatus),
    quality_rating: () => (phone.qualityRating === 'UNKNOWN' ? 'NA' : phone.qualityRating),
    quality_score: () => ({ score: phone.qualityRating }),
    name_status: () => phone.nameStatus,
    new_name_status: () => phone.newNameStatus ?? 'NONE',
    status: () => phone.status,
    platform_type: () => phone.platformType,
    throughput: () => ({ level: phone.platformType === 'NOT_APPLICABLE' ? 'NOT_APPLICABLE' : phone.throughputLevel }),
    // Deprecated per-number name of the (now portfolio-level) limit; v24+ clients read the next one.
    messaging_limit_tier: () => business?.messagingLimitTier,
    whatsapp_business_manager_messaging_limit: () => business?.messagingLimitTier,
    account_mode: () => phone.accountMode,
    is_pin_enabled: () => phone.pin !== undefined,
    is_preverified_number: () => phone.isPreverified,
    is_official_business_account: () => false,
    is_on_biz_app: () => false,
    last_onboarded_time: () => graphTime(phone.lastOnboardedTime),
    country_dial_code: () => countryDialCode(phone.waId),
    search_visibility: () => 'VISIBLE',
    webhook_configuration: () => {
      const link = waba?.subscribedApps.get(principal.app.id);
      const application = principal.app.subscriptions.get('whatsapp_business_account')?.callbackUrl;
      return {
        ...(phone.webhookOverride ? { phone_number: phone.webhookOverride.callbackUrl } : {}),
        ...(link?.overrideCallbackUri ? { whatsapp_business_account: link.overrideCallbackUri } : {}),
        ...(application ? { application } : {}),
      };
    },
    health_status: () => healthStatus(ctx, phone, principal),
  };
}

/** Whether the number can send, and why not, per entity (phone, WABA, business, app). */
function healthStatus(ctx: EmulatorContext, phone: PhoneNumber, principal: Principal): { can_send_message: CanSend; entities: HealthEntity[] } {
  const waba = ctx.state.wabas.get(phone.wabaId);
  const business = waba ? ctx.state.businesses.get(waba.businessId) : undefined;
  const entities: HealthEntity[] = [];

  if (phone.status === 'CONNECTED') entities.push({ entity_type: 'PHONE_NUMBER', id: phone.id, can_send_message: 'AVAILABLE' });
  else if (phone.status === 'FLAGGED' || phone.status === 'RATE_LIMITED' || phone.status === 'RESTRICTED') {
    entities.push({
      entity_type: 'PHONE_NUMBER',
      id: phone.id,
      can_send_message: 'LIMITED',
      errors: [{ error_code: 131048, error_description: `The phone number is ${phone.status}.`, possible_solution: 'Improve message quality; limits lift over time.' }],
    });
  } else {
    entities.push({
      entity_type: 'PHONE_NUMBER',
      id: phone.id,
      can_send_message: 'BLOCKED',
      errors: [
        phone.status === 'PENDING' || phone.status === 'DISCONNECTED'
          ? { error_code: 133010, error_description: 'The phone number is not registered on the Cloud API.', possible_solution: 'Register the number with POST /{phone-number-id}/register.' }
          : { error_code: 131031, error_description: `The phone number is ${phone.status}.`, possible_solution: 'Contact support to review the account.' },
      ],
    });
  }
  if (waba) {
    entities.push(
      waba.accountReviewStatus === 'APPROVED'
        ? { entity_type: 'WABA', id: waba.id, can_send_message: 'AVAILABLE' }
        : {
            entity_type: 'WABA',
            id: waba.id,
            can_send_message: waba.accountReviewStatus === 'REJECTED' ? 'BLOCKED' : 'LIMITED',
            errors: [{ error_code: 141014, error_description: `The WABA review status is ${waba.accountReviewStatus}.`, possible_solution: 'Wait for or appeal the account review.' }],
          },
    );
  }
  if (business) {
    entities.push(
      business.verificationStatus === 'verified'
        ? { entity_type: 'BUSINESS', id: business.id, can_send_message: 'AVAILABLE' }
        : {
            entity_type: 'BUSINESS',
            id: business.id,
            can_send_message: 'LIMITED',
            errors: [{ error_code: 141010, error_description: 'The Business has not passed business verification.', possible_solution: 'Visit business settings and start or resolve the business verification request.' }],
          },
    );
  }
  entities.push({ entity_type: 'APP', id: principal.app.id, can_send_message: 'AVAILABLE' });
  const worst: CanSend = entities.some((e) => e.can_send_message === 'BLOCKED')
    ? 'BLOCKED'
    : entities.some((e) => e.can_send_message === 'LIMITED')
      ? 'LIMITED'
      : 'AVAILABLE';
  return { can_send_message: worst, entities };
}
