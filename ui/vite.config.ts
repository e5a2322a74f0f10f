/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// Django serves the build from /static/ (WhiteNoise) and answers every non-API path with
// dist/index.html, so client-side routes work on reload.
const outDir = fileURLToPath(new URL("../src/photonix/web/dist", import.meta.url));

export default defineConfig(({ command }) => ({
  // Built assets are served under /static/; the dev server serves the app from / so client
  // routes look the same as in production.
  base: command === "build" ? "/static/" : "/",
  plugins: [
    react(),
    // The installable app. The service worker and the manifest are served by Django from the
    // site's root (/sw.js, /manifest.webmanifest), so the worker's scope is the whole app; the
    // files they list stay under /static/, where WhiteNoise serves the build.
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      base: "/",
      buildBase: "/",
      scope: "/",
      manifest: {
        id: "/",
        name: "Photonix",
        short_name: "Photonix",
        description: "Your photo library",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "any",
        background_color: "#14161a",
        theme_color: "#14161a",
        lang: "en",
        icons: [
          { src: "/static/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/static/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/static/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // The shell: the built page, scripts, styles and images. Never the API, never a photo.
        globPatterns: ["**/*.{html,js,css,svg,png,woff2}"],
        modifyURLPrefix: { "": "/static/" },
        // A page is always asked of the server (so a new version and the current security
        // policy arrive at once); only when the network fails is the cached shell shown.
        navigateFallback: null,
        runtimeCaching: [
          {
            urlPattern: ({ request, url }) =>
              request.mode === "navigate" && !url.pathname.startsWith("/api/") && !url.pathname.startsWith("/static/"),
            handler: "NetworkOnly",
            options: { precacheFallback: { fallbackURL: "/static/index.html" } },
          },
        ],
        cleanupOutdatedCaches: true,
        // One file at the root: Workbox's runtime inside it, no source map beside it.
        inlineWorkboxRuntime: true,
        sourcemap: false,
      },
    }),
  ],
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
