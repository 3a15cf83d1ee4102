// Builds dist/kubernetes/schemas.cjs: Kubernetes' own schemas, offline, for validating rendered
// objects (src/validate/). The source is the `kubernetes-models` package (a build-time
// dependency): its ajv validators, precompiled from the upstream OpenAPI documents, and its type
// declarations, generated from the same documents. The module holds, for every schema definition,
// a factory that builds on first use
//   validate   the package's validator, its ES imports turned into calls of the loader, so fedc's
//              synchronous core loads exactly the definitions a repo's kinds use, when it uses them,
//              and its context passed positionally (scripts/kubernetes-validators.mjs)
//   fields     the definition's fields -> what each holds, read from the declarations (the OpenAPI
//              documents do not close their objects, so unknown fields need this list)
// and `index`: the Kubernetes version of the schemas, and apiVersion -> kind -> definition. One
// CommonJS file, so that a bundle (the GitHub Action) ships it beside itself.
//
// The file is 3.4 MB and a repo uses a few dozen of its 948 definitions, so fedc does not require()
// it (V8 would scan every factory, some 30 ms at each start): its first line gives the byte range
// of the index, written last, and the index gives the byte range of each factory's body, which
// src/validate/builtin-schemas.ts reads and compiles when the definition is first used. The file
// stays a CommonJS module whose exports are the index and the factories, for anyone reading it.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { toCommonJs } from './kubernetes-validators.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/kubernetes');
const PACKAGES = ['kubernetes-models', '@kubernetes-models/apimachinery'];

/** The package version fedc is built against, and the Kubernetes release its schemas are (its changelog says so). */
const EXPECTED = { package: '5.1.0', kubernetesVersion: '1.36' };


const pkgDir = (name) => path.join(ROOT, 'node_modules', name);
const version = JSON.parse(readFileSync(path.join(pkgDir('kubernetes-models'), 'package.json'), 'utf8')).version;
if (version !== EXPECTED.package) {
  throw new Error(`kubernetes-models ${version} is installed, fedc is built against ${EXPECTED.package}: ` +
    'check which Kubernetes release the new version carries and update EXPECTED in scripts/build-kubernetes-schemas.mjs');
}

// ------------------------------------------------------------------ fields, from the type declarations
/**
 * What a field holds, for the unknown-field walk: '' a value with no fields of its own, '*' anything
 * (no field below it is unknown), '@<Id>' an object of that definition (resolved to '<Id>' when
 * written), {list: what}, {map: what}, or {fields: {...}} for an object declared inline.
 */
function describeType(node, local) {
  switch (node.kind) {
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length === 1) return { list: describeType(node.typeArguments[0], local) };
      const id = name.startsWith('IIoK8s') ? name.slice(1) : local.get(name);
      return id ? `@${id}` : '*';
    }
    case ts.SyntaxKind.ArrayType:
      return { list: describeType(node.elementType, local) };
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find((m) => m.kind === ts.SyntaxKind.IndexSignature);
      if (index) return node.members.length === 1 ? { map: describeType(index.type, local) } : '*';
      return { fields: membersOf(node.members, local) };
    }
    case ts.SyntaxKind.ParenthesizedType:
      return describeType(node.type, local);
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map((t) => describeType(t, local));
      return parts.every((p) => p === '') ? '' : parts.length === 1 ? parts[0] : '*';
    }
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.LiteralType:
    case ts.SyntaxKind.IndexedAccessType:
      return '';
    default:
      return '*';
  }
}

function membersOf(members, local) {
  const fields = {};
  for (const m of members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    fields[ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText()] = describeType(m.type, local);
  }
  return fields;
}

/** '@<Id>' -> '<Id>' when fedc has that definition's fields, '' when it is a plain value, else '*'. */
function resolve(what, defs) {
  if (typeof what === 'string') {
    if (!what.startsWith('@')) return what;
    const def = defs.get(what.slice(1));
    return def === undefined ? '*' : def.fields === '' ? '' : what.slice(1);
  }
  if (what.list !== undefined) return { list: resolve(what.list, defs) };
  if (what.map !== undefined) return { map: resolve(what.map, defs) };
  return { fields: Object.fromEntries(Object.entries(what.fields).map(([k, v]) => [k, resolve(v, defs)])) };
}

/** Every declaration file of a package outside _schemas/: definition id -> fields, or a plain value. */
function readDeclarations(dir, defs) {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts') || entry.name === 'index.d.ts') continue;
    const file = path.join(entry.parentPath, entry.name);
    if (path.relative(dir, file).startsWith('_schemas')) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const local = new Map(); // IDeployment -> IoK8sApiAppsV1Deployment
    const interfaces = new Map();
    const aliases = new Set();
    for (const st of sf.statements) {
      if (ts.isExportDeclaration(st) && st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.propertyName && el.name.text.startsWith('IIoK8s')) local.set(el.propertyName.text, el.name.text.slice(1));
        }
      } else if (ts.isInterfaceDeclaration(st)) interfaces.set(st.name.text, st);
      else if (ts.isTypeAliasDeclaration(st)) aliases.add(st.name.text);
    }
    for (const [name, id] of local) {
      const decl = interfaces.get(name);
      if (!decl) {
        if (aliases.has(name)) defs.set(id, { fields: '' }); // IntOrString, Quantity, Time: values
        continue;
      }
      const fields = membersOf(decl.members, local);
      const literal = (key) => {
        const m = decl.members.find((x) => ts.isPropertySignature(x) && x.name.getText().replace(/"/g, '') === key);
        return m?.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined;
      };
      const apiVersion = literal('apiVersion');
      const kind = literal('kind');
      // An object the schema declares no field of (RawExtension, JSON, FieldsV1) holds anything.
      defs.set(id, { fields: Object.keys(fields).length === 0 ? '*' : fields, apiVersion, kind });
    }
  }
}

// ------------------------------------------------------------------ write
const defs = new Map();
for (const p of PACKAGES) readDeclarations(pkgDir(p), defs);

mkdirSync(OUT, { recursive: true });
const kinds = {};
const factories = [];
for (const p of PACKAGES) {
  const dir = path.join(pkgDir(p), '_schemas');
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.js')) continue;
    const id = name.slice(0, -3);
    const def = defs.get(id);
    // Fields of a definition without declarations are unknown to fedc: nothing below it is flagged.
    const fields = def ? def.fields : '*';
    const table = typeof fields === 'string' ? fields : Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, resolve(v, defs)]));
    const code = toCommonJs(id, readFileSync(path.join(dir, name), 'utf8'));
    factories.push({ id, body: `${code}exports.fields=${JSON.stringify(table)};` });
    if (def?.apiVersion && def.kind) (kinds[def.apiVersion] ??= {})[def.kind] = id;
  }
}
// The first line, of a fixed length: `/*fedc-kubernetes-schemas <start> <end>*/`, the byte range of
// the index's JSON; the index's `bodies` gives each factory's body as [start, end, line, column]:
// its byte range, and where it begins (from 0), so that a stack trace points into this file.
const HEADER = (start, end) => `/*fedc-kubernetes-schemas ${String(start).padStart(10, '0')} ${String(end).padStart(10, '0')}*/\n`;
const chunks = [];
let offset = 0;
let line = 0;
let column = 0;
const push = (text) => {
  chunks.push(text);
  offset += Buffer.byteLength(text);
  const lines = text.split('\n');
  line += lines.length - 1;
  column = (lines.length > 1 ? 0 : column) + lines.at(-1).length;
};
push(HEADER(0, 0));
push(`"use strict";
// Generated by scripts/build-kubernetes-schemas.mjs from kubernetes-models@${version} (Kubernetes ${EXPECTED.kubernetesVersion}); do not edit.
exports.factories={`);
const bodies = {};
factories.forEach(({ id, body }, i) => {
  push(`${i === 0 ? '' : ',\n'}${JSON.stringify(id)}:function(exports,load,formats){`);
  bodies[id] = [offset, offset + Buffer.byteLength(body), line, column];
  push(`${body}}`);
});
push('};\nexports.index=');
const index = { source: `kubernetes-models@${version}`, kubernetesVersion: EXPECTED.kubernetesVersion, kinds, bodies };
const json = JSON.stringify(index);
const start = offset;
push(json);
const end = offset;
push(';\n');
chunks[0] = HEADER(start, end);
// Written beside and renamed over the old file, so that a fedc running meanwhile (a test, during a
// rebuild) reads the old file or the new one, never none or half of one.
const tmp = path.join(OUT, `.schemas.cjs.${process.pid}.tmp`);
writeFileSync(tmp, chunks.join(''));
renameSync(tmp, path.join(OUT, 'schemas.cjs'));
process.stdout.write(`dist/kubernetes/schemas.cjs: ${factories.length} schema definitions of Kubernetes ${EXPECTED.kubernetesVersion} (kubernetes-models ${version})\n`);
