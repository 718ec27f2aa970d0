import type { OpenApiOperation } from "../../../web/route_types.ts";
import { HttpError } from "../../../web/http_error.ts";
import type { Handlers } from "../../../web/route_types.ts";
import { currentAccount } from "../../../web/session.ts";

/** `GET /api/v1/me`: the signed-in user and tenant. */
export const handler: Handlers = {
  async GET(c) {
    const account = await currentAccount(c);
    if (!account) {
      throw new HttpError(401, "unauthorized", "The account of this session no longer exists");
    }
    return c.json(account);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "The signed-in user and tenant" },
};
