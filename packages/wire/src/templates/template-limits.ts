/**
 * Meta's numeric rules for templates, in one table (reference §1.1.2, §1.3, §4.3, §5.1), so the
 * emulator enforces and the platform pre-checks exactly the same numbers.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const TemplateLimits = {
  nameMaxLength: 512,
  bodyMaxLength: 1024,
  headerTextMaxLength: 60,
  headerTextMaxVariables: 1,
  footerMaxLength: 60,
  buttonsMax: 10,
  quickRepliesMax: 10,
  urlButtonsMax: 2,
  phoneButtonsMax: 1,
  copyCodeButtonsMax: 1,
  buttonLabelMaxLength: 25,
  urlMaxLength: 2000,
  phoneNumberMaxLength: 20,
  copyCodeExampleMaxLength: 15,
  /** Authentication template parameters (the code) are at most 15 characters. */
  authParameterMaxLength: 15,
  codeExpirationMinutes: { min: 1, max: 90 },
  /** Send time: a body parameter (and the hydrated body) when other components exist … */
  sendBodyMaxLength: 1024,
  /** … and when the body is the only component. */
  sendBodyOnlyMaxLength: 32_768,
  sendHeaderMaxLength: 60,
  /** Custom TTL ranges per category (seconds). */
  ttlSeconds: {
    AUTHENTICATION: { min: 30, max: 900 },
    UTILITY: { min: 30, max: 43_200 },
    MARKETING: { min: 43_200, max: 2_592_000 },
  },
  creationsPerWabaPerHour: 100,
  creationWindowMs: HOUR,
  templatesPerWabaUnverified: 250,
  templatesPerWabaVerified: 6_000,
  approvedEditsPerWindow: 10,
  approvedEditWindowMs: 30 * DAY,
  approvedEditMinIntervalMs: DAY,
  /** After deleting an approved template its name and language stay blocked this long. */
  deletedNameCooldownMs: 30 * DAY,
  /** Pause lengths when quality reaches RED: 1st 3 h, 2nd 6 h, 3rd time disabled. */
  pauseDurationsMs: [3 * HOUR, 6 * HOUR] as const,
} as const;
