import { Template } from 'aws-cdk-lib/assertions';

/**
 * The template as CloudFormation would resolve it with these parameter values: `Ref` to a parameter becomes
 * its value (or its default), `Fn::Equals`, `Fn::If`, `Fn::Not`, `Fn::And` and `Fn::Or` are evaluated, and the
 * `Conditions` section is dropped, in `Resources` and `Outputs`. Everything else (`Ref` to resources, `Fn::GetAtt`, ...) stays as it is, so
 * the result can be asserted with `Template` like any other.
 *
 * A value a parameter's `AllowedValues` does not list throws, as CloudFormation would refuse it.
 */
export function resolveParameters(template: Template, values: Record<string, string>): Template {
  const json = template.toJSON() as {
    Parameters?: Record<string, { Default?: string; AllowedValues?: string[] }>;
    Conditions?: Record<string, unknown>;
    [key: string]: unknown;
  };
  const parameters = json.Parameters ?? {};
  for (const [name, value] of Object.entries(values)) {
    const p = parameters[name];
    if (!p) throw new Error(`template has no parameter ${name}`);
    if (p.AllowedValues && !p.AllowedValues.includes(value)) {
      throw new Error(`parameter ${name} = ${value}: not in AllowedValues ${p.AllowedValues.join(', ')}`);
    }
  }
  const parameterValue = (name: string): string | undefined => values[name] ?? parameters[name]?.Default;
  const conditions = json.Conditions ?? {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`template has no condition ${name}`);
    return truth(resolve(conditions[name]));
  };
  const truth = (v: unknown): boolean => {
    if (typeof v !== 'boolean')
      throw new Error(`condition did not resolve to a boolean: ${JSON.stringify(v)}`);
    return v;
  };
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      if (fn === 'Ref' && typeof arg === 'string' && parameterValue(arg) !== undefined)
        return parameterValue(arg);
      if (fn === 'Condition' && typeof arg === 'string') return condition(arg);
      if (fn === 'Fn::Equals') {
        const [a, b] = (arg as unknown[]).map(resolve);
        return JSON.stringify(a) === JSON.stringify(b);
      }
      if (fn === 'Fn::Not') return !truth(resolve((arg as unknown[])[0]));
      if (fn === 'Fn::And') return (arg as unknown[]).every((c) => truth(resolve(c)));
      if (fn === 'Fn::Or') return (arg as unknown[]).some((c) => truth(resolve(c)));
      if (fn === 'Fn::If') {
        const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
        return resolve(condition(name) ? whenTrue : whenFalse);
      }
    }
    return Object.fromEntries(Object.entries(obj).map(([k, x]) => [k, resolve(x)]));
  };
  // Resources and Outputs only: Rules (the bootstrap-version check) use functions this does not evaluate.
  const { Resources, Outputs, ...rest } = json;
  delete rest.Conditions;
  return Template.fromJSON({ ...rest, Resources: resolve(Resources), Outputs: resolve(Outputs) });
}
