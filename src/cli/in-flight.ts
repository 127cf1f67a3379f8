/**
 * Runs `work` on the items `next` hands out, `lanes` at a time, until it hands out none: several files in
 * flight, so that one's disk and thread-pool waits overlap another's work. `next` decides the order and when
 * to stop; several calls may share one `next` (the lanes of several workers over one queue).
 */
export async function inFlight<T>(
  lanes: number,
  next: () => T | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lane = async () => {
    for (let item = next(); item !== undefined; item = next()) await work(item);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
