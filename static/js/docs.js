// Swagger UI for /docs, served from static/ so it works offline and under the strict CSP.
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
