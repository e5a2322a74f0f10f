// Fails when src/api/schema.d.ts is not what `npm run gen:api` would write from the committed
// OpenAPI file: the generated types must never drift from the API.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const spec = resolve(root, "../src/photonix/api/openapi.yaml");
const committed = resolve(root, "src/api/schema.d.ts");
const bin = resolve(root, "node_modules/.bin/openapi-typescript");

const dir = mkdtempSync(join(tmpdir(), "photonix-api-"));
try {
  const fresh = join(dir, "schema.d.ts");
  execFileSync(bin, [spec, "-o", fresh], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const want = readFileSync(fresh, "utf8");
  let have = "";
  try {
    have = readFileSync(committed, "utf8");
  } catch {
    // reported below as drift
  }
  if (want !== have) {
    console.error(
      "src/api/schema.d.ts is out of date with ../src/photonix/api/openapi.yaml.\n" +
        "Run `npm run gen:api` in ui/ and commit the result.",
    );
    process.exitCode = 1;
  } else {
    console.log("API types are up to date with the OpenAPI file.");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
