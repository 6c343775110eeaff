/** NOTIFY channel that wakes the releaser of held messages (a hold was queued, a tier changed). */
export const HOLD_CHANNEL = 'switchboard_holds';
