import { describe, expect, it } from 'vitest';
import { applyOverrides, PatchError } from '../src/render/json-patch.js';

/** KubeFed's override semantics: evanphx/json-patch v4 as KubeFed calls it (KUBEFED-SEMANTICS.md §b.3). */
const doc = () => ({
  metadata: { name: 'x', labels: { a: '1' } },
  spec: { replicas: 3, list: ['a', 'b', 'c'], nothing: null as unknown },
});

function fails(ops: Parameters<typeof applyOverrides>[1]): PatchError {
  try {
    applyOverrides(doc(), ops);
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a PatchError');
}

describe('applyOverrides', () => {
  it('defaults op to replace and keeps list order', () => {
    const out = applyOverrides(doc(), [
      { path: '/spec/replicas', value: 5 },
      { op: 'replace', path: '/spec/replicas', value: 7 },
    ]);
    expect(out.spec.replicas).toBe(7);
  });

  it('replace on a missing object key adds it', () => {
    const out = applyOverrides(doc(), [{ path: '/spec/paused', value: true }]) as Record<string, any>;
    expect(out.spec.paused).toBe(true);
  });

  it('a missing value is JSON null, as KubeFed marshals it', () => {
    const out = applyOverrides(doc(), [{ op: 'add', path: '/spec/x' }]) as Record<string, any>;
    expect(out.spec).toHaveProperty('x', null);
  });

  it('add does not create missing parents', () => {
    const e = fails([{ op: 'add', path: '/metadata/annotations/foo', value: 'bar' }]);
    expect(e.index).toBe(0);
    expect(e.message).toBe("add /metadata/annotations/foo: /metadata/annotations does not exist; KubeFed's add does not create missing parents");
    expect(e.hint).toBe('add the whole map instead: {op: add, path: /metadata/annotations, value: {foo: ...}}');
  });

  it('a path through a scalar says what the scalar is, not that it does not exist', () => {
    const e = fails([{ op: 'replace', path: '/spec/replicas/x', value: 1 }]);
    expect(e.message).toBe('replace /spec/replicas/x: /spec/replicas is a number, not a map or a list');
    expect(e.hint).toBeUndefined();
  });

  it('a null intermediate counts as missing', () => {
    expect(fails([{ op: 'add', path: '/spec/nothing/a', value: 1 }]).message).toMatch(/\/spec\/nothing does not exist/);
  });

  it('add on lists inserts, appends with -, and counts negative indexes from the end', () => {
    const r = (path: string) => (applyOverrides(doc(), [{ op: 'add', path, value: 'z' }]) as any).spec.list;
    expect(r('/spec/list/0')).toEqual(['z', 'a', 'b', 'c']);
    expect(r('/spec/list/3')).toEqual(['a', 'b', 'c', 'z']);
    expect(r('/spec/list/-')).toEqual(['a', 'b', 'c', 'z']);
    expect(r('/spec/list/-1')).toEqual(['a', 'b', 'c', 'z']);
    expect(r('/spec/list/-4')).toEqual(['z', 'a', 'b', 'c']);
    expect(fails([{ op: 'add', path: '/spec/list/4', value: 'z' }]).message).toBe('add /spec/list/4: index 4 is out of range for a list of 3');
    expect(fails([{ op: 'add', path: '/spec/list/-5', value: 'z' }]).message).toBe('add /spec/list/-5: index -5 is out of range for a list of 3');
  });

  it('replace on lists needs an existing index; negative indexes fail', () => {
    expect((applyOverrides(doc(), [{ path: '/spec/list/2', value: 'z' }]) as any).spec.list).toEqual(['a', 'b', 'z']);
    expect(fails([{ path: '/spec/list/3', value: 'z' }]).message).toBe('replace /spec/list/3: index 3 is out of range for a list of 3');
    expect(fails([{ path: '/spec/list/-1', value: 'z' }]).message).toBe('replace /spec/list/-1: index -1 is out of range for a list of 3');
  });

  it('remove needs the key; negative list indexes count from the end', () => {
    expect(fails([{ op: 'remove', path: '/spec/missing' }]).message).toBe('remove /spec/missing: there is no missing to remove');
    expect((applyOverrides(doc(), [{ op: 'remove', path: '/spec/list/-1' }]) as any).spec.list).toEqual(['a', 'b']);
    expect((applyOverrides(doc(), [{ op: 'remove', path: '/metadata/labels' }]) as any).metadata).toEqual({ name: 'x' });
  });

  it('unescapes ~1 and ~0 in segments', () => {
    const out = applyOverrides(doc(), [{ path: '/metadata/labels/example.com~1a~0b', value: 'v' }]) as any;
    expect(out.metadata.labels['example.com/a~b']).toBe('v');
  });

  it('is atomic: a failing op leaves the input untouched and reports its index', () => {
    const input = doc();
    let err: unknown;
    try {
      applyOverrides(input, [{ path: '/spec/replicas', value: 9 }, { op: 'remove', path: '/nope' }]);
    } catch (e) {
      err = e;
    }
    expect((err as PatchError).index).toBe(1);
    expect(input).toEqual(doc());
  });

  it('values are copied, never shared between clusters', () => {
    const value = { foo: 'bar' };
    const out = applyOverrides(doc(), [{ op: 'add', path: '/metadata/annotations', value }]) as any;
    out.metadata.annotations.foo = 'changed';
    expect(value.foo).toBe('bar');
  });
});

describe('applyOverrides and hostile paths', () => {
  it('refuses __proto__ anywhere in a path and pollutes nothing', () => {
    for (const path of ['/__proto__/polluted', '/metadata/__proto__', '/spec/__proto__/x']) {
      expect(fails([{ op: 'add', path, value: 'yes' }]).message).toBe(`add ${path}: a path may not name __proto__`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('applyOverrides copies on write', () => {
  it('shares with its input what no op reaches, and copies the way to what one changes', () => {
    const input = {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
    };
    const before = structuredClone(input);
    const out = applyOverrides(input, [{ path: '/spec/replicas', value: 3 }, { path: '/spec/template/spec/containers/1/image', value: 'b:2' }]);
    expect(input).toEqual(before);
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.template.spec.containers[1]!.image).toBe('b:2');
    expect(out.metadata).toBe(input.metadata);
    expect(out.spec.template.spec.containers[0]).toBe(input.spec.template.spec.containers[0]);
    expect(out.spec.template.spec.containers).not.toBe(input.spec.template.spec.containers);
  });

  it('changes a value that sits at two places (a YAML alias) only where the op says, as KubeFed reads JSON', () => {
    const shared = { a: '1' };
    const input = { data: shared, copy: shared };
    const out = applyOverrides(input, [{ path: '/data/a', value: '2' }]);
    expect(out).toEqual({ data: { a: '2' }, copy: { a: '1' } });
    expect(shared).toEqual({ a: '1' });
  });

  it('treats a timestamp as the string it is in JSON: nothing below it exists', () => {
    const input = { spec: { at: new Date('2021-01-01T00:00:00Z') } };
    expect(() => applyOverrides(input, [{ op: 'add', path: '/spec/at/x', value: 1 }])).toThrow(PatchError);
    expect(input.spec.at).toEqual(new Date('2021-01-01T00:00:00Z'));
  });
});
