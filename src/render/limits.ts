/**
 * Platform limits the serializers respect. Values from the platforms' docs (see
 * shared/design/platform-notes.md §1 and §2); when a limit is exceeded Day2 truncates visibly
 * ("…(truncated)") instead of letting the API reject the whole message.
 */

/** Shown wherever content had to be cut to fit a limit. */
export const TRUNCATION_NOTE = '…(truncated)';

// Slack Block Kit — https://docs.slack.dev/reference/block-kit/blocks (and each block's page),
// https://docs.slack.dev/reference/block-kit/block-elements/button-element,
// https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object,
// https://docs.slack.dev/reference/methods/chat.postMessage (text truncation).

/** Blocks in one message (modals and Home tabs allow 100; messages 50). */
export const SLACK_MAX_BLOCKS = 50;
/** `text` of a header block (plain_text). */
export const SLACK_HEADER_TEXT = 150;
/** `text` of a section block. */
export const SLACK_SECTION_TEXT = 3000;
/** Items in a section's `fields`. */
export const SLACK_SECTION_FIELDS = 10;
/** Each section field's text. */
export const SLACK_FIELD_TEXT = 2000;
/** Elements in a context block. */
export const SLACK_CONTEXT_ELEMENTS = 10;
/** Text of one context element: documented as a text object (3000); kept at the section maximum. */
export const SLACK_CONTEXT_TEXT = 3000;
/** Elements in an actions block. */
export const SLACK_ACTIONS_ELEMENTS = 25;
/** Button label (plain_text). */
export const SLACK_BUTTON_TEXT = 75;
/** Button `value`. */
export const SLACK_BUTTON_VALUE = 2000;
/** `block_id` and `action_id`. */
export const SLACK_ID = 255;
/** Confirmation dialog: title 100, text 300, confirm/deny 30. */
export const SLACK_CONFIRM_TITLE = 100;
export const SLACK_CONFIRM_TEXT = 300;
export const SLACK_CONFIRM_BUTTON = 30;
/** chat.postMessage truncates top-level `text` beyond this. */
export const SLACK_MESSAGE_TEXT = 40_000;
/**
 * Total text across all blocks. Not documented; `msg_blocks_too_long` was observed at roughly
 * 13k characters (slackapi/bolt-js#2509), so Day2 stays under 12k.
 */
export const SLACK_TOTAL_BLOCK_TEXT = 12_000;

// Mattermost — https://developers.mattermost.com/integrate/reference/message-attachments/,
// https://developers.mattermost.com/integrate/plugins/interactive-messages/, server
// model/post.go (PostMessageMaxRunesV2) and model/integration_action.go (action id route).

/** Runes in a post's `message` (PostMessageMaxRunesV2). */
export const MATTERMOST_MESSAGE = 16_383;
/** Button ids are routed on `/api/v4/actions/{action_id:[A-Za-z0-9]+}`. */
export const MATTERMOST_ACTION_ID = /^[A-Za-z0-9]+$/;
/** Runes of one attachment field's value: Mattermost has no hard cap; keep them readable. */
export const MATTERMOST_FIELD_VALUE = 3000;
/** Attachment `fallback` (notification text); kept short like Slack's header. */
export const MATTERMOST_FALLBACK = 3000;
