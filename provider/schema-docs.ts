/**
 * The package schema's descriptions with the `@default` and `@example` of each arg. Pulumi's
 * analyzer keeps only the prose of a JSDoc comment; the tags are what a Python, Go, .NET or YAML
 * user most needs, so they are read from the same TypeScript sources and appended:
 * `Default: ...` and `Example: ...` paragraphs, in that order, to the property's description.
 */
import * as fs from "node:fs";
import type * as TypeScript from "typescript";

/**
 * The tags of one property: `@default` and `@example` texts, as written; `@secret` (the value is
 * a secret in every language: the schema marks it, so that the engine stores it encrypted) and
 * `@integer` (a whole number: `int` in Go, C# and Python, not a float).
 */
export interface PropertyTags {
  default?: string;
  example?: string;
  secret?: boolean;
  integer?: boolean;
}

/** Interface name -> property name -> tags. */
export type InterfaceTags = Map<string, Map<string, PropertyTags>>;

/** What the sources say about each named type: the prose of its JSDoc, and its properties' tags. */
export interface SourceDocs {
  /** Interface or `as const` enum name -> the prose of its JSDoc. */
  types: Map<string, string>;
  properties: InterfaceTags;
}

/** The TypeScript the analyzer uses (the project's, else the one vendored in @pulumi/pulumi). */
function typescript(): typeof TypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same resolution as the analyzer's
  return require("@pulumi/pulumi/typescript-shim") as typeof TypeScript;
}

/** A JSDoc comment's text: a string in older TypeScript, a list of parts in newer. */
function commentText(comment: string | readonly { text: string }[] | undefined): string {
  return typeof comment === "string" ? comment : (comment ?? []).map((part) => part.text).join("");
}

/** The prose of a declaration's JSDoc (its comment without tags), or undefined. */
function proseOf(node: TypeScript.Node): string | undefined {
  const docs = (node as { jsDoc?: TypeScript.JSDoc[] }).jsDoc ?? [];
  const text = docs.map((doc) => commentText(doc.comment)).join("\n").trim();
  return text === "" ? undefined : text;
}

/** The `@default`/`@example` tags of every interface property in `files`, and the prose of every interface and `as const` object. */
export function readSourceDocs(files: readonly string[]): SourceDocs {
  const ts = typescript();
  const found: InterfaceTags = new Map();
  const types = new Map<string, string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (ts.isVariableStatement(node)) {
        const prose = proseOf(node);
        for (const declaration of node.declarationList.declarations) {
          if (prose !== undefined && ts.isIdentifier(declaration.name)) types.set(declaration.name.text, prose);
        }
        return;
      }
      // Interfaces (args and output types) and classes (a component's outputs).
      if (!(ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) || !node.name) return;
      const prose = proseOf(node);
      if (prose !== undefined && ts.isInterfaceDeclaration(node)) types.set(node.name.text, prose);
      const properties = new Map<string, PropertyTags>();
      for (const member of node.members) {
        if (!(ts.isPropertySignature(member) || ts.isPropertyDeclaration(member)) || !member.name || !ts.isIdentifier(member.name)) continue;
        const tags: PropertyTags = {};
        for (const tag of ts.getJSDocTags(member)) {
          const kind = tag.tagName.text;
          if (kind === "default" || kind === "example") tags[kind] = commentText(tag.comment).trim();
          if (kind === "secret" || kind === "integer") tags[kind] = true;
        }
        if (Object.keys(tags).length > 0) properties.set(member.name.text, tags);
      }
      found.set(node.name.text, properties);
    });
  }
  return { types, properties: found };
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
  type?: string;
  description?: string;
  optional?: boolean;
  secret?: boolean;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
}
interface SchemaObject {
  description?: string;
  inputProperties?: Record<string, SchemaProperty>;
  properties?: Record<string, SchemaProperty>;
}
export interface PackageSchema {
  name: string;
  resources: Record<string, SchemaObject>;
  types?: Record<string, SchemaObject>;
}

/** Documents the properties, and drops the analyzer's `optional` marks (the `required` lists say it; a package schema has no such field). */
function documentProperties(properties: Record<string, SchemaProperty> | undefined, tags: Map<string, PropertyTags> | undefined): void {
  for (const property of Object.values(properties ?? {})) dropOptional(property);
  if (!properties || !tags) return;
  for (const [name, property] of Object.entries(properties)) {
    const own = tags.get(name);
    const description = describe(property.description, own);
    if (description !== undefined) property.description = description;
    if (own?.secret) property.secret = true;
    if (own?.integer) asInteger(property, name);
  }
}

/** A number property (or the numbers of a list or map) as `integer`; anything else is a mistake in the sources. */
function asInteger(property: SchemaProperty, name: string): void {
  const target = property.items ?? property.additionalProperties ?? property;
  if (target.type !== "number") throw new Error(`@integer on ${name}, whose schema type is ${target.type ?? "a reference"}, not number`);
  target.type = "integer";
}

function dropOptional(property: SchemaProperty): void {
  delete property.optional;
  if (property.items) dropOptional(property.items);
  if (property.additionalProperties) dropOptional(property.additionalProperties);
}

/**
 * Adds the docs to `schema` in place (and drops the `optional` marks): a resource's inputs get the tags of its args interface
 * (`argsOf` maps a resource token to it); each type without a description gets the prose of the
 * interface or enum of its name, and its properties their tags.
 */
export function documentSchema(schema: PackageSchema, docs: SourceDocs, argsOf: Record<string, string>, classOf: Record<string, string> = {}): PackageSchema {
  for (const [token, resource] of Object.entries(schema.resources)) {
    documentProperties(resource.inputProperties, docs.properties.get(argsOf[token] ?? ""));
    documentProperties(resource.properties, docs.properties.get(classOf[token] ?? ""));
  }
  for (const [token, type] of Object.entries(schema.types ?? {})) {
    const name = token.split(":").pop() ?? "";
    if (type.description === undefined && docs.types.has(name)) type.description = docs.types.get(name);
    documentProperties(type.properties, docs.properties.get(name));
  }
  return schema;
}
