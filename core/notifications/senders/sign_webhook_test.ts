import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { newWebhookSecret, signWebhook } from "./sign_webhook.ts";

Deno.test("signWebhook() is verified by the Standard Webhooks reference library", async () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ type: "test", data: {} });
  const ts = Math.floor(Date.now() / 1000);
  const signature = await signWebhook(secret, "msg_1", ts, body);
  const verified = new Webhook(secret).verify(body, {
    "webhook-id": "msg_1",
    "webhook-timestamp": String(ts),
    "webhook-signature": signature,
  });
  assert.deepEqual(verified, { type: "test", data: {} });
  assert.throws(() =>
    new Webhook(secret).verify(body + " ", {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(ts),
      "webhook-signature": signature,
    })
  );
});
