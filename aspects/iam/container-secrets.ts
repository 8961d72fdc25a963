import type { IConstruct } from 'constructs';
import { resolverOf } from '../resolved';
import { type RuleInfo, TapRule } from '../rule';
import { asList, render, resourceOfType } from '../template';

/**
 * TAP-IAM-8: the execution role injects into containers (`Secrets` of a container definition) only secrets on
 * the allow-list (CONTAINER_SECRETS_ALLOWED, lib/compliance/access-matrix.ts), and never the RDS master secret
 * of a cluster or instance of the template: a password in the container bypasses IAM database authentication
 * and the task role's boundary.
 */
export class ContainerSecretsRule extends TapRule {
  public readonly info: RuleInfo = {
    id: 'TAP-IAM-8',
    area: 'IAM',
    title: 'Containers receive only allow-listed secrets, never the RDS master secret',
    rationale:
      'The execution role reads what it injects: the master password in a container bypasses IAM database authentication and the task role boundary.',
    fix: 'Remove the secret from the container definition; the service connects with IAM authentication (rds-db:connect). A secret it truly needs goes into CONTAINER_SECRETS_ALLOWED (lib/compliance/access-matrix.ts) with a security review.',
    level: 'error',
  };

  constructor(private readonly allowedSecrets: readonly string[]) {
    super();
  }

  public visit(node: IConstruct): void {
    const resource = resourceOfType(node, 'AWS::ECS::TaskDefinition');
    if (!resource) return;
    const resolver = resolverOf(node);
    const masterSecrets = Object.entries(resolver.resources)
      .filter(([, r]) => r.Type === 'AWS::RDS::DBCluster' || r.Type === 'AWS::RDS::DBInstance')
      .map(([id]) => String(resolver.resolve({ 'Fn::GetAtt': [id, 'MasterUserSecret.SecretArn'] })))
      .filter((arn) => !arn.startsWith('<unresolved'));
    const containers = asList(render(resource).properties.ContainerDefinitions) as Array<{
      Name?: string;
      Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
    }>;
    const problems: string[] = [];
    for (const container of containers) {
      for (const secret of asList(container.Secrets)) {
        const from = String(resolver.resolve(secret.ValueFrom));
        const isMaster = masterSecrets.some((m) => from === m || from.startsWith(`${m}:`));
        const isAllowed = this.allowedSecrets.some((a) => from === a || from.startsWith(`${a}:`));
        if (isMaster) problems.push(`injects the RDS master secret into ${container.Name} as ${secret.Name}`);
        else if (!isAllowed)
          problems.push(
            `injects ${from} into ${container.Name} as ${secret.Name}, which is not allow-listed`,
          );
      }
    }
    if (problems.length > 0) this.report(node, problems.join('; '));
  }
}
