/**
 * The bounded fetch of an http(s) URL or a file (one deadline for the whole body, a size cap), its
 * options and credentials (basic auth, bearer token, CA, client certificate), and the redaction of
 * secrets in URLs for logs and pages. Public for this project's modules, with no compatibility
 * promise to plugins; a plugin that uses it pins the exact version (the BOM does).
 */
package io.planetexporter.fetch;
