import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDenial, parseAvcDenial } from './avc.js';

const LINE =
  '[   41.123456] audit: type=1400 audit(1700000000.123:45): avc:  denied  { write } for  pid=321 ' +
  'comm="sh" name="etc.conf" dev="tmpfs" ino=17 scontext=system_u:system_r:control_t:s0-s0:c0.c1023 ' +
  'tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0';

test('parseAvcDenial() reads the permissions, contexts, class and names of a denial', () => {
  const d = parseAvcDenial(LINE);
  assert.ok(d);
  assert.deepEqual(d.perms, ['write']);
  assert.equal(d.scontext, 'system_u:system_r:control_t:s0-s0:c0.c1023');
  assert.equal(d.stype, 'control_t');
  assert.equal(d.ttype, 'etc_t');
  assert.equal(d.tclass, 'file');
  assert.equal(d.permissive, false);
  assert.equal(d.comm, 'sh');
  assert.equal(d.name, 'etc.conf');
  assert.equal(describeDenial(d), 'control_t -> etc_t:file { write } (comm=sh name=etc.conf)');
});

test('parseAvcDenial() reads several permissions and permissive mode', () => {
  const d = parseAvcDenial(
    'avc:  denied  { read open } for pid=1 comm="cat" scontext=system_u:system_r:container_t:s0:c1,c2 ' +
      'tcontext=system_u:object_r:data_t:s0:c3,c4 tclass=file permissive=1',
  );
  assert.ok(d);
  assert.deepEqual(d.perms, ['read', 'open']);
  assert.equal(d.stype, 'container_t');
  assert.equal(d.ttype, 'data_t');
  assert.equal(d.permissive, true);
});

test('parseAvcDenial() ignores lines that are not AVC denials', () => {
  assert.equal(parseAvcDenial('SELinux:  policy capability open_perms=1'), undefined);
  assert.equal(parseAvcDenial('avc:  granted  { setenforce } for pid=1'), undefined);
  assert.equal(parseAvcDenial('avc:  denied  { write } for pid=1 tclass=file'), undefined);
});
