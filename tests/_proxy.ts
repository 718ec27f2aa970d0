/** A TCP proxy on loopback whose connections a test can cut, as a network fault would. */
export interface CuttableProxy {
  url: string;
  port: number;
  /** Closes every open connection (the listener stays up, so clients can reconnect). */
  cutAll(): void;
  /** Connections opened so far. */
  accepted: number;
  close(): void;
}

/** Forwards every connection on a new loopback port to `targetPort`. */
export function startProxy(targetPort: number): CuttableProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const proxy = {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: 0,
  } as CuttableProxy;
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable, { preventClose: false });
    } catch {
      // cut
    }
    for (const c of [from, to]) {
      try {
        c.close();
      } catch {
        // already closed
      }
      open.delete(c);
    }
  };
  (async () => {
    for await (const client of listener) {
      proxy.accepted++;
      try {
        const upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch {
        client.close();
      }
    }
  })().catch(() => {});
  proxy.cutAll = () => {
    for (const c of open) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    open.clear();
  };
  proxy.close = () => {
    proxy.cutAll();
    listener.close();
  };
  return proxy;
}
