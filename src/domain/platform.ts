/**
 * The chat platforms Day2 speaks to. Domain rules (who is reached where, how fast a platform may
 * be written to) name them, so the names live here; the chat port re-exports them.
 */
export type Platform = 'slack' | 'mattermost' | 'console';
export const PLATFORMS: readonly Platform[] = ['slack', 'mattermost', 'console'];
