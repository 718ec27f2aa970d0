import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { TokenService } from "./tokens.ts";

const SECRET = "test-secret-test-secret-test-secret-42";
const key = new TextEncoder().encode(SECRET);

Deno.test("TokenService.verify() accepts its own tokens", async () => {
  const tokens = new TokenService(SECRET);
  const { token, sessionId } = await tokens.issue({ userId: "u", tenantId: 7 }, { generation: 3 });
  assert.deepEqual(await tokens.verify(token), {
    userId: "u",
    tenantId: 7,
    sessionId,
    generation: 3,
  });
});

Deno.test("TokenService.verify() refuses a signed token without exp", async () => {
  const tokens = new TokenService(SECRET);
  const noExp = await new SignJWT({ tid: 7 })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject("u")
    .setIssuedAt()
    .setIssuer("v-insight")
    .sign(key);
  assert.equal(await tokens.verify(noExp), null);
  const withExp = await new SignJWT({ tid: 7 })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject("u")
    .setIssuedAt()
    .setExpirationTime("1h")
    .setIssuer("v-insight")
    .sign(key);
  assert.deepEqual(
    await tokens.verify(withExp),
    { userId: "u", tenantId: 7, sessionId: "", generation: 0 },
    "control: a token from before sessions had ids",
  );
});
