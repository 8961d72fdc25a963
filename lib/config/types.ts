/**
 * The typed, validated configuration of one OrderBroker deployment.
 *
 * It is produced once, in `bin/`, by `resolveConfig()` from a profile plus `-c key=value` overrides,
 * and flows down as props. Constructs never read CDK context or `process.env`.
 */

/** CPU architecture of a Fargate task definition. */
export type Architecture = 'ARM64' | 'X86_64';

/** Names of the embedded deployment profiles. */
export type ProfileName = 'dev' | 'prod';

/** A wall-clock time `HH:MM` in America/New_York. */
export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

/** Tags every resource carries (the tag policy). */
export interface RequiredTags {
  /** Finance cost center, e.g. `CC-4100`. */
  readonly costCenter: string;
  /** Always `TradingPlatform`. */
  readonly project: 'TradingPlatform';
  /** Always `OrderBroker`. */
  readonly service: 'OrderBroker';
  /** The profile name, so finance can split dev and prod spend. */
  readonly environment: string;
}

/** A VPC created by this stack. */
export interface CreatedVpcConfig {
  readonly mode: 'create';
  /** IPv4 CIDR of the new VPC. */
  readonly cidr: string;
  /** NAT gateways (1 in dev, one per AZ in prod). */
  readonly natGateways: number;
}

/** An existing VPC, imported by attributes (offline: no lookup). */
export interface ImportedVpcConfig {
  readonly mode: 'import';
  readonly vpcId: string;
  readonly cidr: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  readonly isolatedSubnetIds: string[];
}

/** The `trades` stream: created here, or an existing one. */
export type TradesStreamConfig =
  | { readonly mode: 'create'; readonly retentionHours: number }
  | {
      readonly mode: 'import';
      /** Stream ARN (a stream name given in config is turned into an ARN in this account/region). */
      readonly streamName: string;
      readonly streamArn?: string;
      /** Customer managed key of the stream, when it uses one. */
      readonly keyArn?: string;
    };

/** The `orders` Aurora PostgreSQL cluster: created here, or an existing one. */
export type OrdersDatabaseConfig =
  | {
      readonly mode: 'create';
      /** Instance class without the `db.` prefix, e.g. `r7g.large`. */
      readonly instanceClass: string;
      /** Number of reader instances besides the writer. */
      readonly readers: number;
      readonly backupRetentionDays: number;
    }
  | {
      readonly mode: 'import';
      readonly clusterIdentifier: string;
      /** The `cluster-XXXX` resource id that IAM database authentication scopes to. */
      readonly clusterResourceId: string;
      readonly endpoint: string;
      readonly port: number;
      readonly securityGroupId: string;
    };

/** The complete configuration of one deployment. */
export interface TapConfig {
  readonly profile: ProfileName;
  /** Stack name, `OrderBroker-<profile>`. */
  readonly stackName: string;
  readonly env: { readonly account?: string; readonly region: 'us-east-2' };
  readonly tags: RequiredTags;
  readonly network: CreatedVpcConfig | ImportedVpcConfig;
  /** CIDR allowed to reach the production listener (order gateways inside the VPC or peered networks). */
  readonly clientCidr: string;
  readonly tradesStream: TradesStreamConfig;
  readonly ordersDatabase: OrdersDatabaseConfig;
  /** The IAM database user the service connects as. */
  readonly dbUser: string;
  readonly dbName: string;
  readonly service: {
    /** ECR repository name of the multi-arch image. */
    readonly imageRepository: string;
    /** Tag, or `sha256:` digest, of the multi-arch image. */
    readonly imageTag: string;
    /** The architecture the service runs; the other one is defined and ready for a blue/green switch. */
    readonly architecture: Architecture;
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly containerPort: number;
    readonly healthCheckPath: string;
    readonly logRetentionDays: number;
  };
  readonly capacity: {
    /** Tasks the off-peak load needs. */
    readonly floorTasks: number;
    /** Spare tasks always running above the floor (Fargate has no warm pool). */
    readonly warmTasks: number;
    /** floorTasks + warmTasks: the scalable target's minimum and the FARGATE base. */
    readonly warmFloor: number;
    readonly maxTasks: number;
    readonly preOpenTasks: number;
    readonly preCloseTasks: number;
    readonly targetCpuPercent: number;
    /**
     * Tasks each step of the CPU step-scaling burst adds (twice this above 90%). Derived, not a key:
     * max(1, warmTasks), the spare tasks once more and at least one.
     */
    readonly burstTasks: number;
  };
  /** Scheduled capacity changes, America/New_York, Monday to Friday. */
  readonly schedule: {
    readonly preOpen: ClockTime;
    readonly postOpen: ClockTime;
    readonly preClose: ClockTime;
    readonly postClose: ClockTime;
  };
  readonly loadBalancing: {
    /** ACM certificate for the HTTPS listeners; required in prod. */
    readonly certificateArn?: string;
    /**
     * The DNS name clients use, covered by the certificate. The validation hook reaches green through the
     * ALB's own DNS name and must check TLS against this name instead.
     */
    readonly serviceHostname?: string;
  };
  readonly deployment: {
    /** Share of production traffic moved to green first. */
    readonly canaryPercent: number;
    /** Minutes green serves the canary share before the rest moves. */
    readonly canaryMinutes: number;
    /** Minutes blue stays alive after the full shift, so an alarm can still roll back. */
    readonly terminationWaitMinutes: number;
  };
  readonly alerting: {
    /** Optional e-mail subscription of the SRE topic. */
    readonly email?: string;
  };
}
