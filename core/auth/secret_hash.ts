/**
 * The SHA-256 of a secret as lowercase hex: how stream tickets, API keys and
 * invitation tokens are stored (a random secret needs no salt or slow hash).
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
