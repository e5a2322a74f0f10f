/// <reference types="vite-plugin-pwa/vanillajs" />
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { registerSW } from "virtual:pwa-register";
import { createAppUpdate } from "./app/appUpdate";
import { AppRoutes } from "./app/AppRoutes";
import { createQueryClient } from "./app/queryClient";
import { UpdatePrompt } from "./app/UpdatePrompt";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

// The service worker keeps the app's shell for when the network is gone (never the API or the
// photos). A new version waits until the person reloads (the prompt), and is looked for whenever
// the app comes back to the screen, as an installed app on a phone mostly does.
const update = createAppUpdate();
if ("serviceWorker" in navigator) {
  const activate = registerSW({
    onNeedRefresh: () => update.offer(() => activate(true)),
    onRegisteredSW: (_url, registration) => {
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") void registration?.update();
      });
    },
  });
}

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
      <UpdatePrompt update={update} />
    </QueryClientProvider>
  </StrictMode>,
);
