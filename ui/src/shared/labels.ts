// Names of things filters refer to by id (cameras, tags, people …), remembered from the facet
// answers so an active filter can show "Canon EOS 40D" rather than "camera 3".
const names = new Map<string, string>();

export function rememberLabel(kind: string, id: number | string, name: string): void {
  names.set(`${kind}:${id}`, name);
}

export function labelFor(kind: string, id: number | string): string | undefined {
  return names.get(`${kind}:${id}`);
}
