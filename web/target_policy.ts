import type { Config } from "../core/config.ts";
import { privateTargetReason } from "../core/monitors/validate_target.ts";
import { validationError } from "./body.ts";

/** Refuses private targets unless the server allows them (API.md), as a `400` on `url`. */
export async function assertPublicTarget(config: Config, url: string, what: string): Promise<void> {
  if (config.allowPrivateTargets) return;
  const reason = await privateTargetReason(url);
  if (reason) {
    throw validationError(what, [{
      path: "url",
      message: `${reason}; private targets are not allowed on this server`,
    }]);
  }
}
