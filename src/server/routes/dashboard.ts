// The dashboard at `/`: the Vite build in dist/dashboard (made by `npm run build`, so by `npm ci`),
// served as static files, with index.html for any other page a browser asks for (the app routes in
// the browser). The dashboard talks to the public API only; nothing here knows what it shows.
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { App } from "../app.js";

/**
 * From src/server/routes or dist/server/routes, the build is the repository's dist/dashboard;
 * BACKEND_DASHBOARD_DIR serves another build (a customised one, or a test's own).
 */
export const DASHBOARD_DIR =
  process.env.BACKEND_DASHBOARD_DIR || path.resolve(import.meta.dirname, "../../../dist/dashboard");

/** Paths that belong to the server, never to the dashboard's pages. */
const SERVER_PATHS = /^\/(api|functions|realtime|healthz|metrics)(\/|$|\?)/;

export async function dashboardRoutes(app: App, root = DASHBOARD_DIR): Promise<boolean> {
  if (!existsSync(path.join(root, "index.html"))) {
    app.log.warn(`the dashboard is not built (no ${root}/index.html): run 'npm run build' to serve it at /`);
    return false;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    // One route per built file, so unknown paths reach the page fallback below.
    wildcard: false,
    index: ["index.html"],
    // Our own Cache-Control below, not send's default "public, max-age=0".
    cacheControl: false,
    // Hashed assets never change; index.html must be fetched again after a deploy of a new build.
    setHeaders: (res, file) => {
      res.setHeader(
        "cache-control",
        file.endsWith("index.html") ? "no-cache" : "public, max-age=31536000, immutable",
      );
    },
  });
  return true;
}

/** A browser asking for a page the server has no route for gets the dashboard, which routes it. */
export function isDashboardPage(request: FastifyRequest): boolean {
  return (
    request.method === "GET" &&
    !SERVER_PATHS.test(request.url) &&
    (request.headers.accept ?? "").includes("text/html")
  );
}

export function sendDashboard(reply: FastifyReply): FastifyReply {
  return reply.header("cache-control", "no-cache").sendFile("index.html");
}
