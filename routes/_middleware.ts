import { authenticate } from "../web/middleware/authenticate.ts";

/** Every route: who is asking, by the route's `config.auth` (required unless it says otherwise). */
export const handler = authenticate();
