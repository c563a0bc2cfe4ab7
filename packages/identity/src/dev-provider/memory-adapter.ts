type AdapterPayload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
};

/**
 * An in-memory adapter owned by one dev provider (oidc-provider's default
 * one is shared by the whole process and warns on every start).
 */
export function createMemoryAdapter(): new (model: string) => object {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>();
  const grants = new Map<string, Set<string>>();
  const read = (key: string): AdapterPayload | undefined => {
    const entry = store.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter {
    readonly #model: string;
    constructor(model: string) {
      this.#model = model;
    }
    #key(id: string): string {
      return `${this.#model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = this.#key(id);
      store.set(key, {
        payload,
        expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
      });
      if (payload.grantId !== undefined) {
        const keys = grants.get(payload.grantId) ?? new Set<string>();
        keys.add(key);
        grants.set(payload.grantId, keys);
      }
      if (payload.userCode !== undefined)
        store.set(`${this.#model}:userCode:${payload.userCode}`, {
          payload: { id },
          expiresAt: undefined,
        });
      if (payload.uid !== undefined)
        store.set(`${this.#model}:uid:${payload.uid}`, { payload: { id }, expiresAt: undefined });
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      return read(this.#key(id));
    }
    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const pointer = read(`${this.#model}:userCode:${userCode}`);
      return typeof pointer?.id === 'string' ? read(this.#key(pointer.id)) : undefined;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const pointer = read(`${this.#model}:uid:${uid}`);
      return typeof pointer?.id === 'string' ? read(this.#key(pointer.id)) : undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = read(this.#key(id));
      if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      store.delete(this.#key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
    }
  };
}
