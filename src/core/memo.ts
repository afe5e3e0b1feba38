// One value per object, made on first use: the per-database caches (one per platform, so servers
// sharing a process in tests never see each other's) and similar.

/** The value `map` holds for `key`, made with `make` and kept the first time it is asked for. */
export function heldFor<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
