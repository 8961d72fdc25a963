/**
 * The project's one ordering of strings: UTF-16 code-unit order, the same on every machine and in every locale
 * (`localeCompare` is not: its order depends on the ICU data and the locale). Every sort that lands in a template
 * or a report uses it; `undefined` sorts as the empty string.
 */
export function compareCodeUnits(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
