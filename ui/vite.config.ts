/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django serves the build from /static/ (WhiteNoise) and answers every non-API path with
// dist/index.html, so client-side routes work on reload.
const outDir = fileURLToPath(new URL("../src/photonix/web/dist", import.meta.url));

export default defineConfig(({ command }) => ({
  // Built assets are served under /static/; the dev server serves the app from / so client
  // routes look the same as in production.
  base: command === "build" ? "/static/" : "/",
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target: "http://127.0.0.1:8000", changeOrigin: false },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Above the 15 s wait for a state (test/setup.ts), so a failed wait reports what it saw.
    testTimeout: 30_000,
    unstubGlobals: true,
  },
}));
