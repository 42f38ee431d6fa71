// What the pack scripts (pack-client.mjs, pack-sessionctl.mjs) share: the service's own
// version ranges for a package's dependencies, and `npm pack` of a staged package.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{ name: range }` from the service's package.json, for each of `names`; each must be a dependency of the service. */
export function serviceVersions(root, names, label) {
  return Object.fromEntries(
    names.map((name) => {
      if (!root.dependencies[name]) throw new Error(`${label}: ${name} is not a dependency of the service`);
      return [name, root.dependencies[name]];
    }),
  );
}

/** Writes `manifest` and `readme` into `stage`, packs it into `destination`, and returns the tarball's path. */
export function npmPack({ stage, manifest, readme, destination }) {
  mkdirSync(stage, { recursive: true });
  mkdirSync(destination, { recursive: true });
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(stage, 'README.md'), readme);
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: stage,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [{ filename }] = JSON.parse(out);
  return join(destination, filename);
}
