import { CfnGuardValidator, type CfnGuardValidatorProps } from '@cdklabs/cdk-validator-cfnguard';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/**
 * The code of the worker thread: the same `CfnGuardValidator(props).validate()` the plugin would call, posted back
 * as `{ report }` or `{ error }` (also when the report cannot be posted), then, whatever happened, a flag set and
 * notified so the main thread stops waiting.
 */
const WORKER = `
const { workerData: { validatorModule, props, templatePaths, port, done } } = require('worker_threads');
const message = (e) => (e instanceof Error ? e.message : String(e));
try {
  const { CfnGuardValidator } = require(validatorModule);
  port.postMessage({ report: new CfnGuardValidator(props).validate({ templatePaths }) });
} catch (e) {
  port.postMessage({ error: message(e) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
`;

/** How long validate() waits for a started run before it gives up (cfn-guard takes seconds on this stack). */
const WAIT_LIMIT_MS = 10 * 60 * 1000;

/**
 * The cfn-guard validator, able to start before CDK asks for its report.
 *
 * CDK calls the validation plugins one after the other and `validate()` is synchronous, so cfn-guard (a child
 * process) would otherwise run while the main thread waits, after cdk-nag and before the CloudFormation linter.
 * `start(templatePaths)` runs `CfnGuardValidator.validate()` in a worker thread instead (its `spawnSync` of
 * cfn-guard then blocks that thread, not the main one); `validate()` blocks on `Atomics.wait` until the worker
 * has posted the report, and reads it with `receiveMessageOnPort` (both synchronous). The started run is used only
 * when `validate()` is asked about exactly the templates it was started on (CDK writes them before the first
 * plugin and no plugin may change them); otherwise the validator runs in-process, as it would without `start`.
 * Either way the report is the validator's own, with the same props and templates: the verdict cannot differ.
 */
export class StartableCfnGuard implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly version?: string;
  public readonly ruleIds?: string[];
  private started?: { readonly templatePaths: string; readonly report: () => PolicyValidationPluginReport };

  constructor(public readonly props: CfnGuardValidatorProps) {
    const validator = new CfnGuardValidator(props);
    this.version = validator.version;
    this.ruleIds = validator.ruleIds;
  }

  /** Starts validating these templates in a worker thread; the next `validate()` on them reads its report. */
  public start(templatePaths: readonly string[]): void {
    const done = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        validatorModule: require.resolve('@cdklabs/cdk-validator-cfnguard'),
        props: this.props,
        templatePaths,
        port: port2,
        done,
      },
      transferList: [port2],
    });
    worker.unref(); // a synthesis that stops before validation does not wait for it
    const report = () => {
      if (Atomics.wait(done, 0, 0, WAIT_LIMIT_MS) === 'timed-out') {
        throw new Error(`cfn-guard did not answer within ${WAIT_LIMIT_MS / 60000} minutes`);
      }
      const result = (receiveMessageOnPort(port1)?.message ?? {
        error: 'the cfn-guard worker thread posted no report',
      }) as { report?: PolicyValidationPluginReport; error?: string };
      port1.close();
      if (result.error !== undefined) throw new Error(result.error);
      return result.report!;
    };
    this.started = { templatePaths: JSON.stringify(templatePaths), report };
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const started = this.started;
    this.started = undefined;
    if (started && started.templatePaths === JSON.stringify(context.templatePaths)) return started.report();
    return new CfnGuardValidator(this.props).validate(context);
  }
}
