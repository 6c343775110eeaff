/** NOTIFY channel that wakes the number refresher (a quality webhook asked for a read). */
export const REFRESH_CHANNEL = 'switchboard_number_refresh';
