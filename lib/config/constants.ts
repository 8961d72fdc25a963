import type { ClockTime } from './types';

/**
 * Constants shared by the configuration, the rules (aspects/) and the tools: one home, so a number is named once
 * and every reader imports it from here.
 */

/** The only region this platform is deployed to. */
export const REGION = 'us-east-2';
/** NYSE/Nasdaq regular session, America/New_York. */
export const MARKET_OPEN: ClockTime = { hour: 9, minute: 30 };
export const MARKET_CLOSE: ClockTime = { hour: 16, minute: 0 };
/** Scheduled scale-ups must fire this many minutes before the bell, so tasks serve by bell - 5 min. */
export const SCALE_UP_LEAD_MINUTES = 10;

/** Values a `CostCenter` tag may take (configuration key `costCenter`, checked again on every resource by TAP-TAG-2). */
export const COST_CENTER_PATTERN = /^CC-\d{4,6}$/;
/** An image tag or a `sha256:` digest (configuration key `imageTag`, and the deploy CLI's `--image`). */
export const IMAGE_REF_PATTERN = /^(?:sha256:[a-f0-9]{64}|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;
/** Tags that registries move from image to image: a deployment pinned to one is not reproducible. */
export const MUTABLE_IMAGE_TAGS: readonly string[] = [
  'latest',
  'stable',
  'main',
  'master',
  'edge',
  'nightly',
];

/** Port of the CodeDeploy test listener on the ALB (the validation hook's target). */
export const TEST_LISTENER_PORT = 9090;

/** The right-sized task CPU (TAP-CAP-5): the service averaged 1800 of the 4096 units it used to reserve. */
export const RIGHT_SIZED_TASK_CPU = 2048;

/**
 * The rollback requirement: a bad version is rolled back within this many minutes. The canary must bake at least
 * this long, or the rest of the traffic moves before the rollback alarms had their chance.
 */
export const ROLLBACK_BUDGET_MINUTES = 5;

/**
 * Subnet masks of a created VPC, per availability zone (lib/constructs/network.ts lays them out in this order;
 * test/lib/config/network-section.test.ts ties the two).
 */
export const CREATED_SUBNET_MASKS: readonly number[] = [24, 20, 24];
/** Availability zones of the platform (one subnet of each kind per zone). */
export const PLATFORM_AZ_COUNT = 3;
