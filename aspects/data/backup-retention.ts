import type { IConstruct } from 'constructs';
import { type RuleInfo, TapRule } from '../rule';
import { render, resourceOfType } from '../template';

/**
 * TAP-DAT-5: every Aurora cluster keeps backups at least as long as the profile says (`dbBackupRetentionDays`,
 * lib/config/profiles.ts: 7 days in dev, 35 in prod). Read from the rendered template, so an escape hatch that
 * lowers `BackupRetentionPeriod` is seen; an absent value is CloudFormation's default of 1 day.
 */
export class BackupRetentionRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-DAT-5',
    area: 'DAT',
    title: "Aurora clusters keep backups at least the profile's dbBackupRetentionDays",
    rationale:
      'Point-in-time recovery of the orders database reaches back only as far as the retention; the profile states what the business needs.',
    fix: 'Set backupRetention from config.ordersDatabase.backupRetentionDays (lib/constructs/orders-database.ts); change the profile value instead of the construct.',
    level: 'error',
  };

  /** @param minimumDays the profile's value; undefined when the profile creates no cluster */
  constructor(private readonly minimumDays: number | undefined) {
    super();
  }

  public visit(node: IConstruct): void {
    const resource = resourceOfType(node, 'AWS::RDS::DBCluster');
    if (!resource || this.minimumDays === undefined) return;
    const raw: unknown = render(resource).properties.BackupRetentionPeriod;
    const days = raw === undefined ? 1 : Number(raw);
    if (!Number.isFinite(days) || days < this.minimumDays) {
      this.report(
        node,
        `keeps backups ${raw === undefined ? '1 day (CloudFormation default)' : `${JSON.stringify(raw)} day(s)`}, below the profile's ${this.minimumDays}`,
      );
    }
  }
}
