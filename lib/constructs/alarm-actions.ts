import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Makes `alarm` notify `action` when it enters ALARM and when it returns to OK, so the on-call sees both the
 * problem and its end (TAP-ALARM rules require the ALARM action; the OK action closes the page). Every alarm of
 * the platform is wired through this one helper.
 */
export function notifyOnAlarmAndOk<A extends cloudwatch.Alarm>(alarm: A, action: cloudwatch.IAlarmAction): A {
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
