/**
 * API reference pages from the provider schema (provider/schema.json, which carries the JSDoc of
 * the TypeScript args as descriptions), laid out as a Pulumi Registry package's API docs: an index
 * (overview, resources, types, package details), then one page per resource (description, how to
 * create it in each language, inputs, outputs, supporting types). `npm run docs` writes them to
 * docs/api/; test/api-docs.test.ts keeps the committed pages equal to what this renders.
 */
import * as fs from "node:fs";
import * as path from "node:path";

interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  plain?: boolean;
  secret?: boolean;
  description?: string;
}

interface SchemaType {
  type: string;
  description?: string;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: { name: string; value: string | number; description?: string }[];
}

interface SchemaResource {
  description?: string;
  isComponent?: boolean;
  inputProperties?: Record<string, SchemaProperty>;
  requiredInputs?: string[];
  properties?: Record<string, SchemaProperty>;
  required?: string[];
}

export interface ApiSchema {
  name: string;
  version: string;
  description?: string;
  resources: Record<string, SchemaResource>;
  types: Record<string, SchemaType>;
}

/** What the pages say about the package beyond the schema (from package.json). */
export interface PackageDetails {
  npmName: string;
  repository: string;
  license: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
export const DOCS_DIR = path.join(ROOT, "docs", "api");

const tokenName = (token: string): string => token.split(":").pop()!;
const pageOf = (token: string): string => `${tokenName(token).toLowerCase()}.md`;
const anchorOf = (token: string): string => tokenName(token).toLowerCase();

/** `sshPublicKey` -> `ssh_public_key`; `instance_type` stays. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
}

/** `sshPublicKey` / `instance_type` -> `SshPublicKey` / `InstanceType`. */
export function pascalCase(name: string): string {
  return name.split(/_/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

/** The description as Markdown paragraphs: lines joined within a paragraph. */
function prose(description: string | undefined): string {
  if (!description) return "";
  return description.split(/\n{2,}/).map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim()).filter(Boolean).join("\n\n");
}

/** The first sentence of a description (for lists): up to the first period outside `code`. */
function summary(description: string | undefined): string {
  const text = prose(description).split("\n\n")[0] ?? "";
  let code = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "`") code = !code;
    else if (!code && text[i] === "." && (i + 1 === text.length || /\s/.test(text[i + 1]))) return text.slice(0, i + 1);
  }
  return text;
}

/** A property's type in words, with links to the supporting types (`page` is the page it appears on). */
function typeText(property: SchemaProperty, page: string, types: Record<string, SchemaType>): string {
  if (property.$ref === "pulumi.json#/Any") return "any";
  if (property.$ref?.startsWith("#/types/")) {
    const token = decodeURIComponent(property.$ref.slice("#/types/".length));
    const kind = types[token]?.enum ? "enum" : "object";
    return `[${tokenName(token)}](${page === "index" ? pageOf(token) : ""}#${anchorOf(token)}) (${kind})`;
  }
  if (property.type === "array" && property.items) return `list of ${typeText(property.items, page, types)}`;
  if (property.type === "object" && property.additionalProperties) return `map of ${typeText(property.additionalProperties, page, types)}`;
  return property.type ?? "any";
}

/** The property's entry: heading, type, how it is passed, its names per language, its description. */
function propertyEntry(name: string, property: SchemaProperty, required: boolean, input: boolean, page: string, types: Record<string, SchemaType>): string {
  const facts = [`Type: ${typeText(property, page, types)}`];
  if (input) facts.push(property.plain ? "plain value (known when the program runs; no Output)" : "Input (a value or an Output)");
  if (property.secret) facts.push("secret");
  const names = `TypeScript \`${name}\` · Python \`${snakeCase(name)}\` · Go \`${pascalCase(name)}\` · .NET \`${pascalCase(name)}\` · Java \`${name}\` · YAML \`${name}\``;
  return [`#### \`${name}\`${required ? " (required)" : ""}`, "", facts.join(" · "), "", names, "", prose(property.description)].join("\n").trimEnd();
}

function propertyList(properties: Record<string, SchemaProperty> | undefined, required: string[] | undefined, input: boolean, page: string, types: Record<string, SchemaType>): string {
  const entries = Object.entries(properties ?? {});
  if (entries.length === 0) return "None.";
  return entries.map(([name, property]) => propertyEntry(name, property, required?.includes(name) ?? false, input, page, types)).join("\n\n");
}

/** The supporting types a resource's properties reach (through other types too), in first-use order. */
function reachedTypes(resource: SchemaResource, types: Record<string, SchemaType>): string[] {
  const seen: string[] = [];
  const visit = (property: SchemaProperty | undefined): void => {
    if (!property) return;
    if (property.$ref?.startsWith("#/types/")) {
      const token = decodeURIComponent(property.$ref.slice("#/types/".length));
      if (!seen.includes(token) && types[token]) {
        seen.push(token);
        for (const inner of Object.values(types[token].properties ?? {})) visit(inner);
      }
    }
    visit(property.items);
    visit(property.additionalProperties);
  };
  for (const property of [...Object.values(resource.inputProperties ?? {}), ...Object.values(resource.properties ?? {})]) visit(property);
  return seen;
}

function supportingType(token: string, types: Record<string, SchemaType>): string {
  const type = types[token];
  const lines = [`<a id="${anchorOf(token)}"></a>`, `### ${tokenName(token)}`, "", `\`${token}\``, ""];
  if (type.description) lines.push(prose(type.description), "");
  if (type.enum) {
    lines.push("| name | value | description |", "| --- | --- | --- |");
    for (const member of type.enum) lines.push(`| \`${member.name}\` | \`${JSON.stringify(member.value)}\` | ${prose(member.description).replace(/\n\n/g, " ")} |`);
  } else {
    lines.push(propertyList(type.properties, type.required, false, "resource", types));
  }
  return lines.join("\n").trimEnd();
}

/** How each language creates the resource with its required inputs. */
function constructorSyntax(schema: ApiSchema, token: string, resource: SchemaResource): string {
  const name = tokenName(token);
  const required = resource.requiredInputs ?? [];
  const module = schema.name;
  const args = (format: (input: string) => string, separator: string): string => required.map(format).join(separator);
  return [
    "TypeScript (npm package `pulumi-dstack`):",
    "```typescript",
    `import { ${name} } from "pulumi-dstack";`,
    `const resource = new ${name}("name", { ${args((input) => `${input}: ...`, ", ")} });`,
    "```",
    "Python (SDK generated by `pulumi package add`):",
    "```python",
    `import pulumi_${module} as ${module}`,
    `resource = ${module}.${name}("name"${args((input) => `, ${snakeCase(input)}=...`, "")})`,
    "```",
    "Go:",
    "```go",
    `resource, err := ${module}.New${name}(ctx, "name", &${module}.${name}Args{${args((input) => `${pascalCase(input)}: ...`, ", ")}})`,
    "```",
    ".NET:",
    "```csharp",
    `var resource = new ${pascalCase(module)}.${name}("name", new() { ${args((input) => `${pascalCase(input)} = ...`, ", ")} });`,
    "```",
    "YAML:",
    "```yaml",
    "resources:",
    "  resource:",
    `    type: ${token}`,
    "    properties:",
    ...required.map((input) => `      ${input}: ...`),
    "```",
  ].join("\n");
}

function resourcePage(schema: ApiSchema, token: string, resource: SchemaResource): string {
  const name = tokenName(token);
  const types = reachedTypes(resource, schema.types);
  return [
    `# ${name}`,
    "",
    `\`${token}\`${resource.isComponent ? " (component resource)" : ""} · [${schema.name} package](_index.md)`,
    "",
    prose(resource.description),
    "",
    `## Create a ${name} resource`,
    "",
    constructorSyntax(schema, token, resource),
    "",
    `## Inputs`,
    "",
    propertyList(resource.inputProperties, resource.requiredInputs, true, "resource", schema.types),
    "",
    `## Outputs`,
    "",
    propertyList(resource.properties, resource.required, false, "resource", schema.types),
    "",
    `## Supporting types`,
    "",
    types.length === 0 ? "None." : types.map((type) => supportingType(type, schema.types)).join("\n\n"),
    "",
  ].join("\n");
}

function indexPage(schema: ApiSchema, details: PackageDetails): string {
  const resources = Object.keys(schema.resources).sort();
  const types = Object.keys(schema.types).sort();
  const owner = (type: string): string => resources.find((resource) => reachedTypes(schema.resources[resource], schema.types).includes(type)) ?? resources[0];
  return [
    `# ${schema.name} (API reference)`,
    "",
    prose(schema.description),
    "",
    `Generated from the package schema (\`provider/schema.json\`, version ${schema.version}) by \`npm run docs\`; do not edit.`,
    "",
    "## Resources",
    "",
    ...resources.map((token) => `- [${tokenName(token)}](${pageOf(token)}): ${summary(schema.resources[token].description)}`),
    "",
    "## Types",
    "",
    ...types.map((token) => `- [${tokenName(token)}](${pageOf(owner(token))}#${anchorOf(token)})${schema.types[token].enum ? " (enum)" : ""}: ${summary(schema.types[token].description)}`),
    "",
    "## Package details",
    "",
    `- Pulumi package: \`${schema.name}\` (component provider in \`provider/\`; \`pulumi package add <repository>/provider\` or \`pulumi package add ./node_modules/${details.npmName}/provider\`)`,
    `- npm package: \`${details.npmName}\``,
    `- Repository: ${details.repository}`,
    `- License: ${details.license}`,
    "",
  ].join("\n");
}

/** Every page, by file name under docs/api/. */
export function renderApiDocs(schema: ApiSchema, details: PackageDetails): Record<string, string> {
  const pages: Record<string, string> = { "_index.md": indexPage(schema, details) };
  for (const [token, resource] of Object.entries(schema.resources)) pages[pageOf(token)] = resourcePage(schema, token, resource);
  return pages;
}

/** The pages for this checkout: its built schema and package.json. */
export function currentApiDocs(): Record<string, string> {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "provider", "schema.json"), "utf8")) as ApiSchema;
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; license: string; repository: { url: string } };
  const repository = manifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
  return renderApiDocs(schema, { npmName: manifest.name, repository, license: manifest.license });
}

if (require.main === module) {
  fs.rmSync(DOCS_DIR, { recursive: true, force: true });
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  for (const [file, text] of Object.entries(currentApiDocs())) fs.writeFileSync(path.join(DOCS_DIR, file), text);
  console.log(`wrote ${Object.keys(currentApiDocs()).length} pages to ${path.relative(ROOT, DOCS_DIR)}`);
}
