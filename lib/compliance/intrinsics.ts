/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- synthesized templates are untyped JSON */
/**
 * Resolves CloudFormation intrinsics of a synthesized template to the strings AWS would see, offline.
 *
 * Physical names CloudFormation generates at deploy time are replaced by stable stand-ins derived from the
 * logical ID (a role without `RoleName` is `role/<logicalId>`, a cluster's resource ID is
 * `cluster-<LOGICALID>`), so two references to the same resource resolve to the same string and references
 * to different resources never collide. Pseudo parameters come from the stack's environment.
 */

/** Untyped template JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation templates are untyped JSON
export type Json = any;

/** A template's resources: logical ID to `{ Type, Properties }`. */
export type TemplateResources = Readonly<Record<string, { Type: string; Properties?: Json }>>;

/** The pseudo parameters a template is resolved with. */
export interface PseudoParameters {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
}

/**
 * Account used for an environment-agnostic stack (`unknown-account`): a documentation account that is not
 * the foreign account the matrix probes with.
 */
export const STAND_IN_ACCOUNT = '111111111111';

/** A template and what its intrinsics resolve to. */
export class TemplateResolver {
  constructor(
    public readonly resources: TemplateResources,
    public readonly pseudo: PseudoParameters,
    private readonly parameters: Readonly<Record<string, { Default?: Json }>> = {},
  ) {}

  /** `value` with every intrinsic replaced by a string (unresolvable ones by `<unresolved:...>`). */
  public resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(String(id), attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, Json[]];
          const resolved = this.resolve(parts);
          return (Array.isArray(resolved) ? resolved : [resolved]).map(String).join(sep);
        }
        case 'Fn::Sub':
          return this.sub(arg);
        case 'Fn::Select': {
          const [index, list] = arg as [Json, Json];
          const items = this.resolve(list);
          return Array.isArray(items) ? items[Number(this.resolve(index))] : `<unresolved:Select>`;
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, Json];
          return String(this.resolve(text)).split(sep);
        }
        case 'Fn::ImportValue':
          return `<unresolved:ImportValue:${JSON.stringify(this.resolve(arg))}>`;
        case 'Fn::If':
          return `<unresolved:If:${JSON.stringify(arg)}>`;
        default:
          break;
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  private sub(arg: Json): string {
    const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [arg as string, {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_all, name: string) => {
      if (vars && name in vars) return String(this.resolve(vars[name]));
      const [id, ...attr] = name.split('.');
      return String(attr.length > 0 ? this.getAtt(id, attr.join('.')) : this.ref(id));
    });
  }

  private ref(id: string): Json {
    switch (id) {
      case 'AWS::AccountId':
        return this.pseudo.account;
      case 'AWS::Region':
        return this.pseudo.region;
      case 'AWS::Partition':
        return this.pseudo.partition;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.pseudo.stackName;
      case 'AWS::StackId':
        return this.arn('cloudformation', `stack/${this.pseudo.stackName}/stand-in`);
      case 'AWS::NoValue':
        return undefined;
      default:
        break;
    }
    if (id in this.parameters) {
      const d = this.parameters[id].Default;
      return d === undefined ? `<unresolved:Parameter:${id}>` : d;
    }
    const r = this.resources[id];
    if (!r) return `<unresolved:Ref:${id}>`;
    const p = r.Properties ?? {};
    const name = (key: string, fallback = id): string =>
      p[key] === undefined ? fallback : String(this.resolve(p[key]));
    switch (r.Type) {
      case 'AWS::IAM::Role':
        return name('RoleName');
      case 'AWS::IAM::User':
        return name('UserName');
      case 'AWS::IAM::Group':
        return name('GroupName');
      case 'AWS::IAM::ManagedPolicy':
        return this.arn('iam', `policy${name('Path', '/')}${name('ManagedPolicyName')}`, '', '');
      case 'AWS::Kinesis::Stream':
        return name('Name');
      case 'AWS::Kinesis::StreamConsumer':
        return this.getAtt(id, 'ConsumerARN');
      case 'AWS::KMS::Key':
        return `key-${id.toLowerCase()}`;
      case 'AWS::RDS::DBCluster':
        return name('DBClusterIdentifier', id.toLowerCase());
      case 'AWS::SecretsManager::Secret':
        return this.arn('secretsmanager', `secret:${name('Name')}-StandIn`);
      case 'AWS::SecretsManager::SecretTargetAttachment':
        return this.resolve(p.SecretId);
      case 'AWS::SNS::Topic':
        return this.arn('sns', name('TopicName'));
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.pseudo.region}.amazonaws.com/${this.pseudo.account}/${name('QueueName')}`;
      case 'AWS::S3::Bucket':
        return name('BucketName', id.toLowerCase());
      case 'AWS::ECS::Cluster':
        return name('ClusterName');
      case 'AWS::ECS::TaskDefinition':
        return this.arn('ecs', `task-definition/${name('Family')}:1`);
      case 'AWS::Logs::LogGroup':
        return name('LogGroupName');
      default:
        return id;
    }
  }

  private getAtt(id: string, attr: string): Json {
    const r = this.resources[id];
    if (!r) return `<unresolved:GetAtt:${id}.${attr}>`;
    const p = r.Properties ?? {};
    const ref = (): string => String(this.ref(id));
    switch (`${r.Type}.${attr}`) {
      case 'AWS::IAM::Role.Arn':
        return this.arn('iam', `role${p.Path ? String(this.resolve(p.Path)) : '/'}${ref()}`, '');
      case 'AWS::IAM::Role.RoleId':
        return `AROA${id.toUpperCase()}`;
      case 'AWS::IAM::User.Arn':
        return this.arn('iam', `user/${ref()}`, '');
      case 'AWS::Kinesis::Stream.Arn':
        return this.arn('kinesis', `stream/${ref()}`);
      case 'AWS::Kinesis::StreamConsumer.ConsumerARN':
        return `${String(this.resolve(p.StreamARN))}/consumer/${String(this.resolve(p.ConsumerName))}:1`;
      case 'AWS::KMS::Key.Arn':
        return this.arn('kms', `key/${ref()}`);
      case 'AWS::KMS::Key.KeyId':
        return ref();
      case 'AWS::RDS::DBCluster.DBClusterArn':
        return this.arn('rds', `cluster:${ref()}`);
      case 'AWS::RDS::DBCluster.DBClusterResourceId':
        return `cluster-${id.toUpperCase()}`;
      case 'AWS::RDS::DBCluster.MasterUserSecret.SecretArn':
        return this.arn('secretsmanager', `secret:rds!cluster-${id.toLowerCase()}-StandIn`);
      case 'AWS::SecretsManager::Secret.Id':
        return ref();
      case 'AWS::SNS::Topic.TopicArn':
        return ref();
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', String(this.ref(id)).split('/').pop()!);
      case 'AWS::S3::Bucket.Arn':
        return this.arn('s3', ref(), '', '');
      case 'AWS::ECS::Cluster.Arn':
        return this.arn('ecs', `cluster/${ref()}`);
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${ref()}:*`);
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${p.FunctionName ? String(this.resolve(p.FunctionName)) : id}`);
      default:
        return `<unresolved:GetAtt:${id}.${attr}>`;
    }
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>` in this environment. */
  public arn(
    service: string,
    resource: string,
    region: string = this.pseudo.region,
    account: string = this.pseudo.account,
  ): string {
    return `arn:${this.pseudo.partition}:${service}:${region}:${account}:${resource}`;
  }
}
