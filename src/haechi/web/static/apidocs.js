// Starts Swagger UI on /docs from the vendored bundle; the spec URL comes from a data attribute
// so the page needs no inline script (Content-Security-Policy: script-src 'self').
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    validatorUrl: null,  // the default badge calls an outside validator; Haechi works offline
  });
});
