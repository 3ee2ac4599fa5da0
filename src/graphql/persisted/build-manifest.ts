import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { documentHash, type PersistedQueryManifest } from './manifest.ts';

export interface SourceFile {
  path: string;
  text: string;
}

/** Names of the fragments a definition spreads, directly. */
function spreadsOf(node: DefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/**
 * One manifest entry per named operation in a client's .graphql files. Like Apollo's manifest
 * generator, an operation's body is the operation followed by every fragment it uses (from any
 * file, transitively), printed by graphql-js; the id is the sha256 of that body. The client must send
 * the same text, or only its hash (Apollo Client's persisted-queries link with the manifest does).
 */
export function buildManifest(files: SourceFile[]): PersistedQueryManifest {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    let document;
    try {
      document = parse(file.text);
    } catch (error) {
      throw new Error(`${file.path}: ${(error as Error).message}`);
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new Error(`${file.path}: every operation needs a name (the manifest lists operations by name)`);
        operations.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(definition.name.value)) throw new Error(`${file.path}: fragment ${definition.name.value} is defined twice`);
        fragments.set(definition.name.value, definition);
      }
    }
  }
  const names = new Set<string>();
  const entries = operations.map((operation) => {
    const name = operation.name!.value;
    if (names.has(name)) throw new Error(`operation ${name} is defined twice`);
    names.add(name);
    const used = new Map<string, FragmentDefinitionNode>();
    const pending = spreadsOf(operation);
    while (pending.length > 0) {
      const fragmentName = pending.pop()!;
      if (used.has(fragmentName)) continue;
      const fragment = fragments.get(fragmentName);
      if (!fragment) throw new Error(`operation ${name} uses fragment ${fragmentName}, which no file defines`);
      used.set(fragmentName, fragment);
      pending.push(...spreadsOf(fragment));
    }
    const body = [operation, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))]
      .map((definition) => print(definition))
      .join('\n\n');
    return { id: documentHash(body), name, type: operation.operation, body };
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: entries };
}
