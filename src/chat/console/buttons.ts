/**
 * Numbered buttons: every button the console shows gets the next number (`[7] Accept  [8] Decline`)
 * and typing that number presses it. Numbers are never reused while the console runs, so an old
 * message's buttons keep working (or get the family's own "no longer" answer).
 */
import type { OutboundMessage } from '../message.js';

export interface Pressable {
  actionId: string;
  value: string;
  /** The message the button is on, for an answer that replaces it. */
  messageId?: string;
  channelId?: string;
}

// C0 controls except tab and newline, DEL and C1 controls: text never drives the terminal.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** How many presses are remembered; a terminal session never gets near it. */
const MAX_REMEMBERED = 100_000;

export class ButtonBoard {
  private next = 1;
  private readonly byNumber = new Map<number, Pressable>();

  /** Number `message`'s buttons and return the line that shows them (empty without buttons). */
  show(message: OutboundMessage, where: { messageId?: string; channelId?: string }): string {
    const buttons = message.buttons ?? [];
    return buttons
      .map((b) => {
        const n = this.next++;
        this.byNumber.set(n, { actionId: b.actionId, value: b.value, ...where });
        if (this.byNumber.size > MAX_REMEMBERED) this.byNumber.delete(this.byNumber.keys().next().value!);
        return `[${n}] ${b.label.replace(CONTROL, '')}${b.style === 'danger' ? ' (!)' : ''}`;
      })
      .join('  ');
  }

  press(n: number): Pressable | undefined {
    return this.byNumber.get(n);
  }

  /** The highest number shown so far (0 before any). */
  get last(): number {
    return this.next - 1;
  }
}
