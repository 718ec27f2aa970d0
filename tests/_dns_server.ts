/** A DNS server on loopback (npm dns2) answering a fixed zone, for dns monitor tests. */
import dns2 from "dns2";

const { Packet } = dns2;

/** Records by name, then type: `{"example.test": {A: ["203.0.113.7"]}}`. */
export type Zone = Record<
  string,
  Partial<Record<"A" | "AAAA" | "CNAME" | "MX" | "TXT" | "NS", string[]>>
>;

/** A running DNS server: `resolver` is `127.0.0.1:port`; `zone` may change while it runs. */
export interface DnsServer {
  resolver: string;
  zone: Zone;
  queries: number;
  close(): Promise<void>;
}

/** Starts a UDP DNS server: names outside the zone answer NXDOMAIN. */
export async function startDnsServer(zone: Zone): Promise<DnsServer> {
  const state = { zone, queries: 0 };
  const server = dns2.createServer({
    udp: true,
    // deno-lint-ignore no-explicit-any
    handle: (request: any, send: (r: any) => void) => {
      state.queries++;
      // deno-lint-ignore no-explicit-any
      const response: any = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const records = state.zone[q.name];
      if (!records) {
        response.header.rcode = 3; // NXDOMAIN
        send(response);
        return;
      }
      const type = Object.entries(Packet.TYPE).find(([, v]) => v === q.type)
        ?.[0] as keyof typeof records;
      for (const value of records[type] ?? []) {
        const base = { name: q.name, type: q.type, class: Packet.CLASS.IN, ttl: 60 };
        switch (type) {
          case "A":
          case "AAAA":
            response.answers.push({ ...base, address: value });
            break;
          case "CNAME":
            response.answers.push({ ...base, domain: value });
            break;
          case "NS":
            response.answers.push({ ...base, ns: value });
            break;
          case "MX": {
            const [priority, exchange] = value.split(" ");
            response.answers.push({ ...base, priority: Number(priority), exchange });
            break;
          }
          case "TXT":
            response.answers.push({ ...base, data: value });
            break;
        }
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = server.addresses().udp!.port;
  return {
    resolver: `127.0.0.1:${port}`,
    get zone() {
      return state.zone;
    },
    set zone(z: Zone) {
      state.zone = z;
    },
    get queries() {
      return state.queries;
    },
    close: () => server.close(),
  };
}
