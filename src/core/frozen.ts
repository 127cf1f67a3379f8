/**
 * Freezes `value`'s objects and arrays all the way down — byte arrays and dates cannot be, and are left. For
 * results a cache hands to every caller: one caller's change must not show in the next one's report.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
