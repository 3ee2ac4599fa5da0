import type { Logger } from 'pino';
import type { NotificationKind } from './outbox.ts';

/** One message as handed to a sender. */
export interface OutgoingNotification {
  /**
   * The outbox row id, the same on every attempt. Delivery is at least once (a crash after the
   * send but before the row is marked sent sends it again), so a sender that can, passes this
   * to its provider as the idempotency key and the provider drops the duplicate.
   */
  idempotencyKey: string;
  kind: NotificationKind;
  /** Email address or phone number: private, never to be logged. */
  recipient: string;
  payload: Record<string, unknown>;
  /** 1 on the first attempt. */
  attempt: number;
}

/** Delivers messages (email, SMS, a city notification service). Throw to have the message retried. */
export interface NotificationSender {
  send(notification: OutgoingNotification): Promise<void>;
}

/** The default sender: logs that a message would go out, with its kind and outbox id only. */
export function createLogSender(logger: Logger): NotificationSender {
  return {
    async send({ kind, idempotencyKey, attempt }) {
      logger.info({ kind, outboxId: idempotencyKey, attempt }, 'notification sent (log sender)');
    },
  };
}
