/** An outbound message as the emulator tracks it (owned by the messaging module). */
export type MessageStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface Message {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  to: string;
  type: string;
  /** The request body as sent. */
  payload: Record<string, unknown>;
  status: MessageStatus;
  createdAt: number;
  bizOpaqueCallbackData?: string;
  /** Pricing category when sent ("marketing", "utility", "authentication", "service"). */
  category?: string;
}
