// Tidy scopes: a stack of sets of the tensors created while each scope is open. Ending a scope disposes
// its tensors except those it returns (which move to the enclosing scope) and those passed to keep().

export interface Owned {
  dispose(): void;
}

const scopes: Set<Owned>[] = [];

export function track(tensor: Owned): void {
  scopes[scopes.length - 1]?.add(tensor);
}

export function keep<T extends Owned>(tensor: T): T {
  for (const scope of scopes) scope.delete(tensor);
  return tensor;
}

export function tidy<T>(fn: () => T): T {
  const scope = new Set<Owned>();
  scopes.push(scope);
  let result: T | undefined;
  try {
    result = fn();
    if (result instanceof Promise) throw new Error('tidy(fn): fn must be synchronous; a Promise outlives the scope');
  } finally {
    scopes.pop();
    const returned = result === undefined ? new Set<unknown>() : returnedValues(result);
    const parent = scopes[scopes.length - 1];
    for (const tensor of scope) {
      if (!returned.has(tensor)) tensor.dispose();
      else parent?.add(tensor);
    }
  }
  return result as T;
}

// What tidy() may return and keep: a tensor, an array of them, or an object whose values are tensors.
function returnedValues(result: unknown): Set<unknown> {
  if (Array.isArray(result)) return new Set(result);
  if (result !== null && typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype) {
    return new Set(Object.values(result));
  }
  return new Set([result]);
}
