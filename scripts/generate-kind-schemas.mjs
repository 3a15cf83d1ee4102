// Writes schemas/federated<kind>.json for every built-in federated kind (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { kindSchemaFiles } from '../dist/check/kind-schemas.js';

for (const [name, content] of kindSchemaFiles()) writeFileSync(new URL(`../schemas/${name}`, import.meta.url), content);
