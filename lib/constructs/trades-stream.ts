import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TradesStreamConfig } from '../config/types';

/** Name of the created stream of a real deployment. */
export const TRADES_STREAM_NAME = 'trades';

/** Properties of {@link TradesStream}. */
export interface TradesStreamProps {
  /** Create the stream, or import an existing one. */
  readonly stream: TradesStreamConfig;
  /**
   * Name of a created stream.
   *
   * @default 'trades'
   */
  readonly streamName?: string;
  /** Customer managed key of a created stream. */
  readonly dataKey: kms.IKey;
}

/**
 * The `trades` Kinesis data stream the OrderBroker writes every executed trade to.
 *
 * A created stream is on-demand (the open and close spikes need no shard planning), encrypted with the
 * platform data key, and retained on stack deletion.
 */
export class TradesStream extends Construct {
  public readonly stream: kinesis.IStream;
  /** The stream's customer managed key, when it has one (writers need kms:GenerateDataKey on it). */
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: TradesStreamProps) {
    super(scope, id);
    const cfg = props.stream;

    if (cfg.mode === 'import') {
      this.encryptionKey = cfg.keyArn ? kms.Key.fromKeyArn(this, 'ImportedKey', cfg.keyArn) : undefined;
      const streamArn =
        cfg.streamArn ??
        Stack.of(this).formatArn({ service: 'kinesis', resource: 'stream', resourceName: cfg.streamName });
      this.stream = kinesis.Stream.fromStreamAttributes(this, 'Stream', {
        streamArn,
        encryptionKey: this.encryptionKey,
      });
      return;
    }

    this.encryptionKey = props.dataKey;
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: props.streamName ?? TRADES_STREAM_NAME,
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: props.dataKey,
      retentionPeriod: Duration.hours(cfg.retentionHours),
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}
