import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/**
 * The code of the worker thread: constructs one validation plugin (`new <pluginClass>(props)` from
 * `pluginModule`), optionally validates a warm-up template once (result discarded), then answers each request
 * with `plugin.validate(context)`, posted as `{ report }` or `{ error }` (also when the plugin could not be
 * constructed or the report cannot be posted), then, whatever happened, sets the request's flag and notifies it so
 * the main thread stops waiting. Requests are answered one at a time, in order. A worker that stops (the plugin
 * calls `process.exit`, say) sets the shared `exited` flag and releases the request it was answering.
 */
const WORKER = `
const { workerData: { pluginModule, pluginClass, props, warmUp, exited }, parentPort } = require('worker_threads');
const message = (e) => (e instanceof Error ? e.message : String(e));
let current;
const release = (done) => {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
};
process.on('exit', () => {
  Atomics.store(exited, 0, 1);
  if (current) release(current);
});
let plugin, failure;
try {
  plugin = new (require(pluginModule)[pluginClass])(props);
} catch (e) {
  failure = message(e);
}
if (plugin && warmUp) {
  try {
    plugin.validate({ templatePaths: [warmUp], stackTemplates: [{ stackConstructPath: 'WarmUp', templatePath: warmUp }] });
  } catch {
    // Only a warm-up: the requests report the plugin's own errors.
  }
}
parentPort.on('message', ({ context, port, done }) => {
  current = done;
  try {
    if (failure !== undefined) throw new Error(failure);
    port.postMessage({ report: plugin.validate(context) });
  } catch (e) {
    port.postMessage({ error: message(e) });
  } finally {
    port.close();
    current = undefined;
    release(done);
  }
});
`;

/** How long an answer is waited for before the main thread gives up (the engines take seconds on this stack). */
const WAIT_LIMIT_MS = 10 * 60 * 1000;

/** How often a wait checks whether the worker has stopped (a stopped worker answers no queued request). */
const EXIT_CHECK_MS = 1000;

/** What of a validation context crosses to the worker: its data, not the app construct. */
export type WorkerContext = Pick<IPolicyValidationContext, 'templatePaths'> &
  Partial<Pick<IPolicyValidationContext, 'stackTemplates' | 'accountId' | 'region'>>;

/** The data of a validation context (the app construct cannot cross threads; no plugin here reads it). */
export function workerContext(context: WorkerContext): WorkerContext {
  const { templatePaths, stackTemplates, accountId, region } = context;
  return JSON.parse(JSON.stringify({ templatePaths, stackTemplates, accountId, region })) as WorkerContext;
}

/** Options of {@link PluginWorker}. */
export interface PluginWorkerOptions {
  /** The module exporting the plugin class, resolved (`require.resolve(...)`). */
  readonly pluginModule: string;
  /** The exported name of the plugin class. */
  readonly pluginClass: string;
  /** The props the plugin is constructed with (structured-cloned into the worker). */
  readonly props?: unknown;
  /**
   * A template the plugin validates once as soon as the worker starts (result discarded), so an engine that is slow
   * to build the first time in a process is built before the first request.
   *
   * @default - no warm-up
   */
  readonly warmUp?: string;
}

/**
 * One validation plugin in a worker thread, asked synchronously.
 *
 * CDK calls the validation plugins one after the other and `validate()` is synchronous, so a plugin that works for
 * seconds (cfn-guard as a child process, the CloudFormation linter building its WASM engine) would otherwise hold
 * the main thread. `request(context)` posts the context to the worker now and returns a function that blocks on
 * `Atomics.wait` until the worker has answered and reads the answer with `receiveMessageOnPort` (both
 * synchronous): the main thread can do other work between the two. The report is the plugin's own `validate()`
 * on the same context, with the same props: the verdict cannot differ from an in-process run.
 */
export class PluginWorker {
  private readonly worker: Worker;
  /** Set by the worker when it stops. */
  private readonly exited = new Int32Array(new SharedArrayBuffer(4));

  constructor(options: PluginWorkerOptions) {
    const { pluginModule, pluginClass, props, warmUp } = options;
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { pluginModule, pluginClass, props, warmUp, exited: this.exited },
    });
    this.worker.unref(); // a process that is done does not wait for it
  }

  /**
   * Posts `context` to the worker now; the returned function waits for the answer.
   *
   * @returns a function that returns the plugin's report, or throws the plugin's error message
   */
  public request(context: WorkerContext): () => PolicyValidationPluginReport {
    const done = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ context: workerContext(context), port: port2, done }, [port2]);
    return () => {
      for (let waited = 0; Atomics.wait(done, 0, 0, EXIT_CHECK_MS) === 'timed-out'; waited += EXIT_CHECK_MS) {
        if (Atomics.load(this.exited, 0) === 1)
          throw new Error('the validation worker stopped without answering');
        if (waited >= WAIT_LIMIT_MS) {
          throw new Error(`the validation worker did not answer within ${WAIT_LIMIT_MS / 60000} minutes`);
        }
      }
      const result = (receiveMessageOnPort(port1)?.message ?? {
        error: 'the validation worker posted no report',
      }) as { report?: PolicyValidationPluginReport; error?: string };
      port1.close();
      if (result.error !== undefined) throw new Error(result.error);
      return result.report!;
    };
  }

  /** Stops the worker (a one-request worker, once answered). */
  public terminate(): void {
    void this.worker.terminate();
  }
}
