import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

/** Every AWS client the deploy CLI and the scenario runners use (only `send`, so tests pass mocks). */
export interface AwsClients {
  readonly cfn: Pick<CloudFormationClient, 'send'>;
  readonly ecs: Pick<ECSClient, 'send'>;
  readonly codedeploy: Pick<CodeDeployClient, 'send'>;
  readonly appscaling: Pick<ApplicationAutoScalingClient, 'send'>;
  readonly elbv2: Pick<ElasticLoadBalancingV2Client, 'send'>;
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
  readonly ecr: Pick<ECRClient, 'send'>;
}

/** Real clients for a region (credentials from the usual chain: environment, profile, SSO, instance role). */
export function awsClients(region: string): AwsClients {
  const config = { region };
  return {
    cfn: new CloudFormationClient(config),
    ecs: new ECSClient(config),
    codedeploy: new CodeDeployClient(config),
    appscaling: new ApplicationAutoScalingClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudwatch: new CloudWatchClient(config),
    ecr: new ECRClient(config),
  };
}

export { REGION } from '../../lib/config/constants';
