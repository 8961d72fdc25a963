/**
 * CPU / memory combinations Fargate offers for Linux tasks
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */
const FARGATE_MEMORY_BY_CPU: Readonly<
  Record<number, { min: number; max: number; step: number; extra?: number[] }>
> = {
  256: { min: 1024, max: 2048, step: 1024, extra: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** CPU units Fargate accepts. */
export const FARGATE_CPU_UNITS: readonly number[] = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

/** Memory sizes (MiB) Fargate accepts for the given CPU units; empty when the CPU value is not offered. */
export function fargateMemoryOptions(cpu: number): number[] {
  const spec = FARGATE_MEMORY_BY_CPU[cpu];
  if (!spec) return [];
  const sizes = [...(spec.extra ?? [])];
  for (let m = spec.min; m <= spec.max; m += spec.step) sizes.push(m);
  return sizes;
}

/** Human-readable description of the memory sizes allowed with `cpu`. */
export function describeFargateMemory(cpu: number): string {
  const spec = FARGATE_MEMORY_BY_CPU[cpu];
  if (!spec) return `CPU must be one of ${FARGATE_CPU_UNITS.join(', ')}`;
  const extra = spec.extra ? `${spec.extra.join(', ')} or ` : '';
  return `with cpu ${cpu}, memoryMiB must be ${extra}${spec.min}..${spec.max} in steps of ${spec.step}`;
}
