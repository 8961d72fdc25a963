/** `-c` values importing an existing VPC (the subnet IDs are placeholders in the documented format). */
export const IMPORTED_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.9.0.0/16',
  availabilityZones: 'us-east-2a,us-east-2b,us-east-2c',
  privateSubnetIds: 'subnet-00000001,subnet-00000002,subnet-00000003',
  isolatedSubnetIds: 'subnet-00000004,subnet-00000005,subnet-00000006',
};

/** `-c` values importing an existing `orders` Aurora cluster. */
export const IMPORTED_DATABASE = {
  ordersDbClusterIdentifier: 'orders-legacy',
  ordersDbClusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ordersDbEndpoint: 'orders-legacy.cluster-abc.us-east-2.rds.amazonaws.com',
  ordersDbPort: '5432',
  ordersDbSecurityGroupId: 'sg-0123456789abcdef0',
};

/** VPC, `trades` stream (by name) and database all imported. */
export const IMPORTED_ALL = { ...IMPORTED_VPC, tradesStreamName: 'trades', ...IMPORTED_DATABASE };
