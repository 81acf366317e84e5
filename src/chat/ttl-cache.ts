/**
 * The adapters' small in-memory caches (team memberships, profile zones, user ids by name):
 * entries expire after a fixed time, and the oldest is dropped when the map is full.
 */

/** Team memberships and profile zones change rarely; five minutes of staleness is fine. */
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 5000;

/** A small TTL map that forgets the oldest entry when full. */
export class TtlCache<V> {
  private readonly map = new Map<string, { at: number; value: V }>();
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    return hit && Date.now() - hit.at < CACHE_TTL_MS ? hit.value : undefined;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    if (this.map.size >= CACHE_MAX) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { at: Date.now(), value });
  }
}
