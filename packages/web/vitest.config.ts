/**
 * Tests of the web app (`src/**\/*.test.{ts,tsx}`): Solid's compiler and browser builds
 * (vite-plugin-solid), in happy-dom. Run by the root `npm test` as the "web" project;
 * on their own: `npx vitest run --project web`.
 */
import { defineProject } from "vitest/config";
import solid from "vite-plugin-solid";

export default defineProject({
  plugins: [solid()],
  test: {
    name: "web",
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
