import type { NamespaceType, SpecOpt } from './spec.js';

/** Shares the host's namespace of this type (the container gets no namespace of its own). */
export function withHostNamespace(type: NamespaceType): SpecOpt {
  return (spec) => {
    spec.linux.namespaces = spec.linux.namespaces.filter((n) => n.type !== type);
  };
}

