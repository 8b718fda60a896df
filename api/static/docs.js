// Offline API reference: the OpenAPI schema rendered as plain text (Swagger UI would need a CDN).
(() => {
  const statusEl = document.getElementById("docs-status");
  const root = document.getElementById("operations");

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function schemaName(schema) {
    if (!schema) return "";
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.type === "array") return `liste de ${schemaName(schema.items)}`;
    if (schema.anyOf) return schema.anyOf.map(schemaName).join(" | ");
    return schema.type || "";
  }

  function fields(schema, spec) {
    const name = schema && schema.$ref ? schema.$ref.split("/").pop() : null;
    const resolved = name ? spec.components.schemas[name] : schema;
    if (!resolved || !resolved.properties) return null;
    const list = el("ul", "fields");
    const required = new Set(resolved.required || []);
    for (const [key, prop] of Object.entries(resolved.properties)) {
      const li = el("li");
      li.append(el("code", "", key), ` : ${schemaName(prop)}${required.has(key) ? " (obligatoire)" : ""}`);
      if (prop.description) li.append(` — ${prop.description}`);
      list.append(li);
    }
    return list;
  }

  fetch("/openapi.json").then((r) => r.json()).then((spec) => {
    statusEl.textContent = `${spec.info.title} ${spec.info.version} — ${spec.info.description || ""}`;
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const section = el("section", "passage");
        section.append(el("h2", "", `${method.toUpperCase()} ${path}`));
        if (op.summary) section.append(el("p", "", op.summary));
        const params = (op.parameters || []).map((p) => `${p.name} (${p.in}${p.required ? ", obligatoire" : ""})${p.description ? " : " + p.description : ""}`);
        if (params.length) {
          const ul = el("ul", "fields");
          for (const p of params) ul.append(el("li", "", p));
          section.append(el("h3", "", "Paramètres"), ul);
        }
        const body = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
        if (body) {
          section.append(el("h3", "", `Corps JSON : ${schemaName(body.schema)}`));
          const list = fields(body.schema, spec);
          if (list) section.append(list);
        }
        const codes = Object.keys(op.responses || {});
        if (codes.length) section.append(el("p", "muted", `Réponses : ${codes.join(", ")}`));
        root.append(section);
      }
    }
  }).catch(() => { statusEl.textContent = "Schéma OpenAPI indisponible."; });
})();
