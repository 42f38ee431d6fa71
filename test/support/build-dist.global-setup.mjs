// Compiles dist/ once before the tests of the compiled programs, outside any test timeout,
// and only when the sources changed since the last build (scripts/build-if-changed.mjs).
import { buildIfChanged } from '../../scripts/build-if-changed.mjs';

export default function buildDist() {
  buildIfChanged();
}
