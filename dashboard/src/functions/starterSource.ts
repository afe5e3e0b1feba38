// What a new function starts with: the main form (a default export), as `backend init` writes it.
export const STARTER_ENTRY = "entry.ts";

export function starterSource(name: string): string {
  return `// ${name}: the default export gets the payload and a context; what it returns is the result.
export default async function (payload: { name?: string }, context: BackendContext) {
  console.log(\`${name} was called (\${context.trigger})\`);
  return { message: \`Hello, \${payload.name ?? "world"}!\` };
}
`;
}

/** function.jsonc of a new function: only admins (and the dashboard) may call it until changed. */
export const STARTER_CONFIG = { access: "admin" };
