/** A simulated WhatsApp user (owned by the users module). Unknown wa_ids are online users with defaults. */
export interface SimUserSettings {
  onWhatsApp: boolean;
  online: boolean;
  deliveryDelayMs: number;
  readDelayMs: number;
  /** 0..1: chance a delivered message is read (deterministic per message id). */
  readProbability: number;
  /** Phone-number ids this user has blocked. */
  blocked: string[];
  /** Stopped marketing messages from these phone-number ids ("*" for all). */
  stoppedMarketing: string[];
  /** Reply automatically to every message received (text echo or a fixed text). */
  autoReply: false | { text?: string; delayMs?: number };
  profileName: string;
}

export interface SimUser {
  waId: string;
  settings: SimUserSettings;
  /** Messages received, newest last, bounded. */
  inbox: Array<{ id: string; phoneNumberId: string; type: string; payload: unknown; at: number; status: string }>;
  /** Last inbound (user → business) message time per business phone-number id: the service window. */
  lastInboundAt: Map<string, number>;
}
