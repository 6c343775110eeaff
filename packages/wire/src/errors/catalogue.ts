/**
 * Meta's Cloud API error codes as one typed table (reference: shared/reference/cloud-api.md §3.2).
 * `http` is the status Meta answers with when the error is synchronous; `delivery` says whether
 * the code arrives in the HTTP answer, in a `failed` status webhook, or either; `retryable` is
 * what a sender should do with it (the dispatcher's retry policy reads it).
 */
export type Delivery = 'sync' | 'async' | 'both';

export interface ErrorSpec {
  readonly code: number;
  readonly title: string;
  readonly http: number;
  readonly retryable: boolean;
  readonly delivery: Delivery;
}

/** Named codes, so code reads `ErrorCode.ReEngagement` rather than 131047. */
export const ErrorCode = {
  AuthException: 0,
  ApiUnknown: 1,
  ApiService: 2,
  ApiMethod: 3,
  TooManyCalls: 4,
  PermissionDenied: 10,
  InvalidParameterValue: 33,
  InvalidParameter: 100,
  AccessTokenExpired: 190,
  PermissionError: 200,
  TemporarilyBlocked: 368,
  UnknownPath: 2500,
  WabaRateLimit: 80007,
  WabaCallsRateLimit: 80008,
  RateLimitHit: 130429,
  MarketingExperiment: 130472,
  CountryRestricted: 130497,
  SomethingWentWrong: 131000,
  AccessDenied: 131005,
  RequiredParameterMissing: 131008,
  ParameterValueInvalid: 131009,
  ServiceUnavailable: 131016,
  RecipientCannotBeSender: 131021,
  Undeliverable: 131026,
  RecipientNotAllowed: 131030,
  AccountLocked: 131031,
  DisplayNameNotApproved: 131037,
  PaymentIssue: 131042,
  IncorrectCertificate: 131045,
  ReEngagement: 131047,
  SpamRateLimit: 131048,
  EcosystemEngagement: 131049,
  UserStoppedMarketing: 131050,
  UnsupportedMessageType: 131051,
  MediaDownloadError: 131052,
  MediaUploadError: 131053,
  PairRateLimit: 131056,
  MaintenanceMode: 131057,
  BsuidNotSupported: 131062,
  MessagingLimitViolations: 131064,
  TemplateParamCountMismatch: 132000,
  TemplateDoesNotExist: 132001,
  TemplateHydratedTextTooLong: 132005,
  TemplateFormatPolicy: 132007,
  TemplateParamValueInvalid: 132008,
  TemplateParamFormatMismatch: 132012,
  TemplatePaused: 132015,
  TemplateDisabled: 132016,
  FlowBlocked: 132068,
  FlowThrottled: 132069,
  IncompleteDeregistration: 133000,
  RegistrationUnavailable: 133004,
  PinMismatch: 133005,
  NeedsReverification: 133006,
  TooManyPinGuesses: 133008,
  PinGuessedTooFast: 133009,
  NotRegistered: 133010,
  RecentlyDeleted: 133015,
  RegisterRateLimit: 133016,
  GenericUserError: 135000,
  IdentityKeyMismatch: 137000,
} as const;

export type KnownErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const rows: ReadonlyArray<readonly [number, string, number, boolean, Delivery]> = [
  [0, 'AuthException', 401, false, 'sync'],
  [1, 'API Unknown', 400, true, 'sync'],
  [2, 'API Service', 503, true, 'sync'],
  [3, 'API Method', 500, false, 'sync'],
  [4, 'API Too Many Calls', 429, true, 'sync'],
  [10, 'Permission denied', 403, false, 'sync'],
  [33, 'Parameter value is not valid', 400, false, 'sync'],
  [100, 'Invalid parameter', 400, false, 'sync'],
  [190, 'Access token has expired', 401, false, 'sync'],
  [200, 'Permissions error', 403, false, 'sync'],
  [2500, 'Unknown path components', 400, false, 'sync'],
  [368, 'Temporarily blocked for policies violations', 403, false, 'sync'],
  [80007, 'Rate limit issues', 400, true, 'sync'],
  [80008, 'Too many calls to this WhatsApp Business Account', 400, true, 'sync'],
  [130429, 'Rate limit hit', 400, true, 'both'],
  [130472, "User's number is part of an experiment", 400, false, 'async'],
  [130497, 'Business account is restricted from messaging users in this country', 403, false, 'both'],
  [131000, 'Something went wrong', 500, true, 'both'],
  [131005, 'Access denied', 403, false, 'sync'],
  [131008, 'Required parameter is missing', 400, false, 'sync'],
  [131009, 'Parameter value is not valid', 400, false, 'both'],
  [131016, 'Service unavailable', 500, true, 'both'],
  [131021, 'Recipient cannot be sender', 400, false, 'both'],
  [131026, 'Message undeliverable', 400, false, 'async'],
  [131030, 'Recipient phone number not in allowed list', 400, false, 'sync'],
  [131031, 'Business Account locked', 403, false, 'both'],
  [131037, 'WhatsApp provided number needs display name approval before message can be sent.', 400, false, 'sync'],
  [131042, 'Business eligibility payment issue', 400, false, 'both'],
  [131045, 'Incorrect certificate', 500, false, 'both'],
  [131047, 'Re-engagement message', 400, false, 'async'],
  [131048, 'Spam rate limit hit', 400, false, 'async'],
  [131049, 'This message was not delivered to maintain healthy ecosystem engagement.', 400, true, 'async'],
  [131050, 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.', 400, false, 'async'],
  [131051, 'Unsupported message type', 400, false, 'both'],
  [131052, 'Media download error', 400, false, 'async'],
  [131053, 'Media upload error', 400, false, 'both'],
  [131056, '(Business Account, Consumer Account) pair rate limit hit', 400, true, 'both'],
  [131057, 'Account in maintenance mode', 500, true, 'sync'],
  [131062, 'Business-scoped user ID recipient not supported', 400, false, 'sync'],
  [131064, 'Messaging limit reached due to template classification violations', 400, true, 'async'],
  [132000, 'Number of parameters does not match the expected number of params', 400, false, 'sync'],
  [132001, 'Template name does not exist in the translation', 404, false, 'both'],
  [132005, 'Translated text too long', 400, false, 'sync'],
  [132007, 'Template Format Character Policy Violated', 400, false, 'sync'],
  [132008, 'Template Parameter Value Invalid', 400, false, 'sync'],
  [132012, 'Parameter format does not match format in the created template', 400, false, 'sync'],
  [132015, 'Template is Paused', 400, false, 'both'],
  [132016, 'Template is Disabled', 400, false, 'both'],
  [132068, 'Flow is in blocked state', 400, false, 'sync'],
  [132069, 'Flow is in throttled state', 400, true, 'sync'],
  [133000, 'Incomplete Deregistration', 500, false, 'sync'],
  [133004, 'Server Temporarily Unavailable', 503, true, 'sync'],
  [133005, 'Two step verification PIN Mismatch', 400, false, 'sync'],
  [133006, 'Phone number Re-verification Needed', 400, false, 'sync'],
  [133008, 'Too Many two step verification PIN Guesses', 400, true, 'sync'],
  [133009, 'Two step verification PIN Guessed Too Fast', 400, true, 'sync'],
  [133010, 'Phone number Not Registered', 400, false, 'sync'],
  [133015, 'Please wait a few minutes before attempting to register this phone number', 400, true, 'sync'],
  [133016, 'Account register deregister rate limit exceeded', 400, false, 'sync'],
  [135000, 'Generic user error', 400, false, 'sync'],
  [137000, 'Identity key hash mismatch', 400, false, 'sync'],
];

export const errorCatalogue: ReadonlyMap<number, ErrorSpec> = new Map(
  rows.map(([code, title, http, retryable, delivery]) => [code, { code, title, http, retryable, delivery }]),
);

/** The catalogue entry for a code; unknown codes are treated as permanent 400s. */
export function errorSpec(code: number): ErrorSpec {
  return (
    errorCatalogue.get(code) ??
    (code >= 200 && code <= 299
      ? { code, title: 'Permissions error', http: 403, retryable: false, delivery: 'sync' }
      : { code, title: 'Unknown error', http: 400, retryable: false, delivery: 'sync' })
  );
}
