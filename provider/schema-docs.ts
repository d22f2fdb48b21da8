/**
 * The package schema's descriptions with the `@default` and `@example` of each arg. Pulumi's
 * analyzer keeps only the prose of a JSDoc comment; the tags are what a Python, Go, .NET or YAML
 * user most needs, so they are read from the same TypeScript sources and appended:
 * `Default: ...` and `Example: ...` paragraphs, in that order, to the property's description.
 */
import * as fs from "node:fs";
import type * as TypeScript from "typescript";

/** The tags of one property: `@default` and `@example` texts, as written. */
export interface PropertyTags {
  default?: string;
  example?: string;
}

/** Interface name -> property name -> tags. */
export type InterfaceTags = Map<string, Map<string, PropertyTags>>;

/** The TypeScript the analyzer uses (the project's, else the one vendored in @pulumi/pulumi). */
function typescript(): typeof TypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same resolution as the analyzer's
  return require("@pulumi/pulumi/typescript-shim") as typeof TypeScript;
}

function tagText(tag: TypeScript.JSDocTag): string {
  const comment = tag.comment;
  const text = typeof comment === "string" ? comment : (comment ?? []).map((part) => part.text).join("");
  return text.trim();
}

/** The `@default`/`@example` tags of every interface property in `files`. */
export function readInterfaceTags(files: readonly string[]): InterfaceTags {
  const ts = typescript();
  const found: InterfaceTags = new Map();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node)) return;
      const properties = new Map<string, PropertyTags>();
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !member.name || !ts.isIdentifier(member.name)) continue;
        const tags: PropertyTags = {};
        for (const tag of ts.getJSDocTags(member)) {
          const kind = tag.tagName.text;
          if (kind === "default" || kind === "example") tags[kind] = tagText(tag);
        }
        if (tags.default !== undefined || tags.example !== undefined) properties.set(member.name.text, tags);
      }
      found.set(node.name.text, properties);
    });
  }
  return found;
}

/** A description with the tags appended (an example on several lines becomes a code block). */
export function describe(description: string | undefined, tags: PropertyTags | undefined): string | undefined {
  if (!tags) return description;
  const parts = description ? [description] : [];
  if (tags.default !== undefined) parts.push(`Default: ${tags.default}`);
  if (tags.example !== undefined) parts.push(tags.example.includes("\n") ? `Example:\n\`\`\`\n${tags.example}\n\`\`\`` : `Example: \`${tags.example}\``);
  return parts.join("\n\n");
}

interface SchemaProperty {
  description?: string;
}
interface SchemaObject {
  inputProperties?: Record<string, SchemaProperty>;
  properties?: Record<string, SchemaProperty>;
}
export interface PackageSchema {
  name: string;
  resources: Record<string, SchemaObject>;
  types?: Record<string, SchemaObject>;
}

function documentProperties(properties: Record<string, SchemaProperty> | undefined, tags: Map<string, PropertyTags> | undefined): void {
  if (!properties || !tags) return;
  for (const [name, property] of Object.entries(properties)) {
    const description = describe(property.description, tags.get(name));
    if (description !== undefined) property.description = description;
  }
}

/**
 * Adds the tags to `schema` in place: a resource's inputs from its args interface (`argsOf` maps a
 * resource token to it), each object type's properties from the interface of its name.
 */
export function documentSchema(schema: PackageSchema, tags: InterfaceTags, argsOf: Record<string, string>): PackageSchema {
  for (const [token, resource] of Object.entries(schema.resources)) {
    documentProperties(resource.inputProperties, tags.get(argsOf[token] ?? ""));
  }
  for (const [token, type] of Object.entries(schema.types ?? {})) {
    documentProperties(type.properties, tags.get(token.split(":").pop() ?? ""));
  }
  return schema;
}
