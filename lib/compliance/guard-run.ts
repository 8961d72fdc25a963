import { CfnGuardValidator, type CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { PluginWorker } from './plugin-worker';

/**
 * The cfn-guard validator, able to start before CDK asks for its report.
 *
 * CDK calls the validation plugins one after the other, so cfn-guard (a child process) would otherwise run while
 * the main thread waits. `start(context)` runs `CfnGuardValidator.validate()` in a worker thread instead (its
 * `spawnSync` of cfn-guard then blocks that thread, not the main one; see {@link PluginWorker}), and the next
 * `validate()` reads its report. The started run is used only when `validate()` is asked about exactly the
 * templates it was started on (CDK writes them before the first plugin and no plugin may change them); otherwise
 * the validator runs in-process, as it would without `start`. Either way the report is the validator's own, with
 * the same props and templates: the verdict cannot differ.
 */
export class StartableCfnGuard implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly version?: string;
  public readonly ruleIds?: string[];
  private started?: {
    readonly templatePaths: string;
    readonly worker: PluginWorker;
    readonly answer: () => PolicyValidationPluginReport;
  };

  constructor(public readonly props: CfnGuardValidatorProps) {
    const validator = new CfnGuardValidator(props);
    this.version = validator.version;
    this.ruleIds = validator.ruleIds;
  }

  /** Starts validating the context's templates in a worker thread; the next `validate()` on them reads its report. */
  public start(context: Pick<IPolicyValidationContext, 'templatePaths'>): void {
    const worker = new PluginWorker({
      pluginModule: require.resolve('@cdklabs/cdk-validator-cfnguard'),
      pluginClass: 'CfnGuardValidator',
      props: this.props,
    });
    const answer = worker.request({ templatePaths: context.templatePaths });
    this.started = { templatePaths: JSON.stringify(context.templatePaths), worker, answer };
  }

  /** Stops a started run that will not be read. */
  public discard(): void {
    this.started?.worker.terminate();
    this.started = undefined;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const started = this.started;
    this.started = undefined;
    try {
      if (started?.templatePaths === JSON.stringify(context.templatePaths)) return started.answer();
      return new CfnGuardValidator(this.props).validate(context);
    } finally {
      started?.worker.terminate(); // one run per worker, used or not
    }
  }
}
