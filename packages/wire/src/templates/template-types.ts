/**
 * Message templates in Meta's wire format (reference §1.3, §5.1): what a create or edit request
 * carries once validated, with Meta's snake_case field names so a definition can be stored, echoed
 * back and forwarded to Meta unchanged.
 */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const PARAMETER_FORMATS = ['POSITIONAL', 'NAMED'] as const;
export type ParameterFormat = (typeof PARAMETER_FORMATS)[number];

export type TemplateStatus =
  | 'PENDING'
  | 'APPROVED'
  | 'REJECTED'
  | 'PAUSED'
  | 'DISABLED'
  | 'IN_APPEAL'
  | 'PENDING_DELETION'
  | 'DELETED'
  | 'ARCHIVED'
  | 'LIMIT_EXCEEDED';

export type TemplateQualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

/** Reasons a review rejects a template (reference §2.5). */
export type TemplateRejectionReason =
  | 'ABUSIVE_CONTENT'
  | 'INCORRECT_CATEGORY'
  | 'INVALID_FORMAT'
  | 'PROMOTIONAL'
  | 'SCAM'
  | 'TAG_CONTENT_MISMATCH'
  | 'NONE';

export const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION', 'GIF'] as const;
export type HeaderFormat = (typeof HEADER_FORMATS)[number];

export const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP', 'FLOW', 'CATALOG', 'MPM', 'VOICE_CALL'] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

export const OTP_TYPES = ['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'] as const;
export type OtpType = (typeof OTP_TYPES)[number];

/** One example value of a named parameter. */
export interface NamedParamExample {
  param_name: string;
  example: string;
}

export interface HeaderComponent {
  type: 'HEADER';
  format: HeaderFormat;
  text?: string;
  example?: { header_text?: string[]; header_text_named_params?: NamedParamExample[]; header_handle?: string[] };
}

export interface BodyComponent {
  type: 'BODY';
  /** Absent on authentication templates, whose body text Meta writes. */
  text?: string;
  add_security_recommendation?: boolean;
  example?: { body_text?: string[][]; body_text_named_params?: NamedParamExample[] };
}

export interface FooterComponent {
  type: 'FOOTER';
  text?: string;
  /** Authentication templates only: Meta writes "This code expires in N minutes." */
  code_expiration_minutes?: number;
}

export interface TemplateButton {
  type: ButtonType;
  text?: string;
  url?: string;
  phone_number?: string;
  /** URL buttons: [full example URL or suffix]; COPY_CODE: the example code. */
  example?: string[] | string;
  otp_type?: OtpType;
  /** Other button fields (flow_id, package_name, …) are kept as submitted. */
  [field: string]: unknown;
}

export interface ButtonsComponent {
  type: 'BUTTONS';
  buttons: TemplateButton[];
}

export type TemplateComponent = HeaderComponent | BodyComponent | FooterComponent | ButtonsComponent;

/** A validated template: what `POST /{waba-id}/message_templates` asked for, normalised. */
export interface TemplateDefinition {
  name: string;
  language: string;
  category: TemplateCategory;
  parameter_format: ParameterFormat;
  components: TemplateComponent[];
  message_send_ttl_seconds?: number;
  cta_url_link_tracking_opted_out?: boolean;
}
