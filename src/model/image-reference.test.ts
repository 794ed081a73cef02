import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatImageReference, parseImageReference } from './image-reference.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);

test('parseImageReference() normalises docker-style names', () => {
  const cases: Array<[string, object]> = [
    ['alpine', { kind: 'registry', registry: 'docker.io', repository: 'library/alpine', tag: 'latest' }],
    ['alpine:3.19', { kind: 'registry', registry: 'docker.io', repository: 'library/alpine', tag: '3.19' }],
    ['bottlerocket/admin', { kind: 'registry', registry: 'docker.io', repository: 'bottlerocket/admin', tag: 'latest' }],
    ['index.docker.io/busybox', { kind: 'registry', registry: 'docker.io', repository: 'library/busybox', tag: 'latest' }],
    [
      'public.ecr.aws/bottlerocket/bottlerocket-admin:v0.11.13',
      { kind: 'registry', registry: 'public.ecr.aws', repository: 'bottlerocket/bottlerocket-admin', tag: 'v0.11.13' },
    ],
    ['localhost/app', { kind: 'registry', registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['localhost:5000/a/b/c:t', { kind: 'registry', registry: 'localhost:5000', repository: 'a/b/c', tag: 't' }],
    ['127.0.0.1:5000/team/app', { kind: 'registry', registry: '127.0.0.1:5000', repository: 'team/app', tag: 'latest' }],
    [`registry.example/app@${DIGEST}`, { kind: 'registry', registry: 'registry.example', repository: 'app', digest: DIGEST }],
    [`app:1@${DIGEST}`, { kind: 'registry', registry: 'docker.io', repository: 'library/app', tag: '1', digest: DIGEST }],
    ['my-registry.local:443/a__b/c-d.e', { kind: 'registry', registry: 'my-registry.local:443', repository: 'a__b/c-d.e', tag: 'latest' }],
  ];
  for (const [input, want] of cases) assert.deepEqual(parseImageReference(input), want, input);
});

test('parseImageReference() reads oci-archive paths with an optional ref', () => {
  assert.deepEqual(parseImageReference('oci-archive:/var/lib/berth/images/admin.tar'), {
    kind: 'oci-archive',
    path: '/var/lib/berth/images/admin.tar',
  });
  assert.deepEqual(parseImageReference('oci-archive:/images/control.tar:berth/control:v1'), {
    kind: 'oci-archive',
    path: '/images/control.tar',
    ref: 'berth/control:v1',
  });
});

test('parseImageReference() rejects bad references with the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /it is empty/],
    ['Alpine', /must be lowercase|not of the form/],
    ['docker.io/Library/alpine', /must be lowercase/],
    ['alpine:', /tag ''/],
    ['alpine:-x', /tag '-x'/],
    ['alpine@sha256:abc', /digest 'sha256:abc'/],
    [`alpine@md5:${'a'.repeat(32)}`, /digest/],
    ['https://registry.example/app', /URL scheme/],
    ['registry.example:99999/app', /port '99999'/],
    ['registry.example:x/app', /tag|port/],
    ['-bad.example/app', /registry host '-bad.example'/],
    ['registry.example//app', /path component ''/],
    ['registry.example/app/', /path component ''/],
    ['a b', /whitespace/],
    ['reg.example/../etc', /path component '\.\.'/],
    ['oci-archive:', /archive path is empty/],
    ['oci-archive:relative/x.tar', /not absolute/],
    ['oci-archive:/a/../x.tar', /not normalised/],
    ['oci-archive:/x.tar:', /archive ref ''/],
    ['oci-archive:/x.tar:a b', /whitespace/],
    ['x'.repeat(256), /longer than 255/],
  ];
  for (const [input, want] of cases) {
    assert.throws(
      () => parseImageReference(input),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'INVALID_ARGUMENT', input);
        assert.match(err.message, want, input);
        assert.ok(err.message.startsWith('Invalid image reference'), err.message);
        return true;
      },
    );
  }
});

test('formatImageReference() writes the canonical form that parses back to the same reference', () => {
  for (const input of ['alpine', 'localhost:5000/a/b:t', `r.example/app:1@${DIGEST}`, 'oci-archive:/a.tar', 'oci-archive:/a.tar:x']) {
    const ref = parseImageReference(input);
    const text = formatImageReference(ref);
    assert.deepEqual(parseImageReference(text), ref, text);
  }
  assert.equal(formatImageReference(parseImageReference('alpine')), 'docker.io/library/alpine:latest');
});
