import { audit } from "../../web/middleware/audit.ts";
import { noStore, requireJson } from "../../web/middleware/require_json.ts";

/** Every `/api/*` route: JSON bodies only (415 otherwise), answers not cached, writes audited. */
export const handler = [noStore(), requireJson(), audit()];
