/** Headless Chromium from Debian, driven by puppeteer-core, for the browser tests. */
import puppeteer, { type Browser, type HTTPRequest, type Page } from "puppeteer-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium binary, or an error telling how to install it. */
export function chromiumPath(): string {
  const configured = Deno.env.get("CHROMIUM_PATH");
  if (configured) return configured;
  for (const p of CANDIDATES) {
    try {
      Deno.statSync(p);
      return p;
    } catch {
      // next
    }
  }
  throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
}

/** Launches headless Chromium with a throw-away profile and home. */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const home = await Deno.makeTempDir({ prefix: "vinsight-chromium-" });
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${home}/profile`,
    ],
    env: { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_CACHE_HOME: `${home}/.cache` },
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

/** Builds the island bundle if it is missing, so the pages hydrate. */
export async function ensureBundle(): Promise<void> {
  const out = new URL("../static/build/islands.js", import.meta.url);
  try {
    await Deno.stat(out);
    return;
  } catch {
    // build it
  }
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "bundle"],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`deno task bundle failed: ${new TextDecoder().decode(stderr)}`);
}

/**
 * Holds back the first request of `page` whose URL `matches` (every other request goes on),
 * so a test can change something before it is answered. `held()` waits up to 5 s for it;
 * `release()` lets it go; `stop()` ends the interception.
 */
export async function holdFirstRequest(page: Page, matches: (url: string) => boolean) {
  let held: HTTPRequest | null = null;
  const onRequest = (req: HTTPRequest) => {
    if (!held && matches(req.url())) held = req;
    else req.continue();
  };
  await page.setRequestInterception(true);
  page.on("request", onRequest);
  return {
    async held(): Promise<boolean> {
      for (let i = 0; i < 100 && !held; i++) await new Promise((r) => setTimeout(r, 50));
      return held !== null;
    },
    release: () => held!.continue(),
    async stop() {
      page.off("request", onRequest);
      await page.setRequestInterception(false).catch(() => {}); // the page may be closed
    },
  };
}
