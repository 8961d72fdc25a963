import { compareCodeUnits } from '../../lib/order';

test('compareCodeUnits orders by UTF-16 code unit, not by locale', () => {
  const words = ['b', 'B', 'a', 'A', '_', 'a10', 'a2', 'é', 'e'];
  expect([...words].sort(compareCodeUnits)).toEqual(['A', 'B', '_', 'a', 'a10', 'a2', 'b', 'e', 'é']);
  expect([...words].sort((x, y) => x.localeCompare(y))).not.toEqual([...words].sort(compareCodeUnits));
  expect(compareCodeUnits(undefined, '')).toBe(0);
  expect(compareCodeUnits(undefined, 'a')).toBe(-1);
});
