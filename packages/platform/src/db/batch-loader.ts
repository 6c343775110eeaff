/**
 * Coalesces point lookups made in the same turn of the event loop into one query. Under load the
 * accept path asks the same questions (a template, a service window, a contact) for hundreds of
 * concurrent sends; one `= any($1)` query per kind and turn replaces a round trip per send. Nothing
 * is cached: every answer is read from the database after the request arrived.
 */
export class BatchLoader<K, V> {
  #pending = new Map<string, { key: K; waiters: Array<{ resolve: (v: V) => void; reject: (e: unknown) => void }> }>();
  #scheduled = false;

  constructor(
    private readonly keyOf: (key: K) => string,
    private readonly loadMany: (keys: K[]) => Promise<Map<string, V>>,
    private readonly missing: V,
  ) {}

  load(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      const k = this.keyOf(key);
      const entry = this.#pending.get(k);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.#pending.set(k, { key, waiters: [{ resolve, reject }] });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = new Map();
    this.#scheduled = false;
    try {
      const found = await this.loadMany([...batch.values()].map((e) => e.key));
      for (const [k, e] of batch) for (const w of e.waiters) w.resolve(found.get(k) ?? this.missing);
    } catch (err) {
      for (const e of batch.values()) for (const w of e.waiters) w.reject(err);
    }
  }
}

/** One loader per pool (tests run several platforms, each on its own database, in one process). */
export function loaderPerPool<S extends object, L>(make: (sql: S) => L): (sql: S) => L {
  const loaders = new WeakMap<S, L>();
  return (sql) => {
    let loader = loaders.get(sql);
    if (!loader) loaders.set(sql, (loader = make(sql)));
    return loader;
  };
}
