import type { Database } from '../db/client.ts';
import { notificationOutbox, type ApplicationRow, type NotificationOutboxRow } from '../db/schema/index.ts';

export type NotificationKind = NotificationOutboxRow['kind'];

/**
 * Queues a message to an applicant. Call it with the transaction that makes the change the
 * message reports, so the change and the message commit (or roll back) together.
 */
export async function enqueueApplicantNotification(
  tx: Database,
  application: ApplicationRow,
  kind: NotificationKind,
  payload: Record<string, unknown>,
): Promise<void> {
  // Contact is required at submission (database check), so one of the two is always there.
  const recipient = application.email ?? application.phone!;
  await tx.insert(notificationOutbox).values({ jurisdictionId: application.jurisdictionId, applicationId: application.id, kind, recipient, payload });
}
