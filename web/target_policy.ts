import type { Config } from "../core/config.ts";
import type { MonitorInput, MonitorPatch } from "../core/monitors/schema.ts";
import { privateTargetReason } from "../core/monitors/validate_target.ts";
import { isPrivateAddress, isPrivateHostName } from "../core/net/private_address.ts";
import { validationError } from "./body.ts";

/** Refuses private targets unless the server allows them (API.md), as a `400` on `path`. */
export async function assertPublicTarget(
  config: Config,
  url: string,
  what: string,
  path = "url",
): Promise<void> {
  if (config.allowPrivateTargets) return;
  const reason = await privateTargetReason(url);
  if (reason) {
    throw validationError(what, [{
      path,
      message: `${reason}; private targets are not allowed on this server`,
    }]);
  }
}

/** A host (name or IP literal) as a URL the target rule can judge. */
function hostUrl(host: string): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${h}/`;
}

/**
 * Checks the targets of a monitor of any kind (API.md): an http URL, a tcp
 * host, a dns resolver and host name; a push monitor has none.
 */
export async function assertPublicMonitorTargets(
  config: Config,
  input: MonitorInput | MonitorPatch,
  what: string,
): Promise<void> {
  if (config.allowPrivateTargets) return;
  if ("url" in input && input.url !== undefined) await assertPublicTarget(config, input.url, what);
  if ("host" in input && input.host !== undefined) {
    await assertPublicTarget(config, hostUrl(input.host), what, "host");
  }
  if ("hostname" in input && input.hostname !== undefined && isPrivateHostName(input.hostname)) {
    throw validationError(what, [{
      path: "hostname",
      message:
        `host ${input.hostname} is a local name; private targets are not allowed on this server`,
    }]);
  }
  if ("resolver" in input && input.resolver) {
    const ip = input.resolver.replace(/^\[([^\]]+)\].*$/, "$1").replace(
      /^(\d+\.\d+\.\d+\.\d+):\d+$/,
      "$1",
    );
    if (isPrivateAddress(ip)) {
      throw validationError(what, [{
        path: "resolver",
        message:
          `address ${ip} is private, loopback or link-local; private targets are not allowed on this server`,
      }]);
    }
  }
}
