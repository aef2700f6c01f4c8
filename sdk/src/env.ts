// The client's defaults from the environment, read where there is one: Node, Bun and Deno have it;
// browsers, and Workers without `nodejs_compat`, have no `process` and read nothing.

interface Runtime {
  process?: { env?: Record<string, string | undefined> };
  Deno?: { env?: { get?: (name: string) => string | undefined } };
}

/** The variable's value, trimmed; undefined when it is unset, empty, or the runtime refuses to tell. */
export function readEnv(name: string): string | undefined {
  const runtime = globalThis as Runtime;
  let value: string | undefined;
  try {
    value = runtime.process?.env?.[name] ?? runtime.Deno?.env?.get?.(name);
  } catch {
    // Deno without --allow-env throws rather than answering.
    return undefined;
  }
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
