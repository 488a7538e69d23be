/**
 * PEM key material and what is built from it: certificates and keys read from files or inline text,
 * a key manager that reloads them when the files change, and client-certificate trust. Used by the
 * fetch client's mutual TLS and by the web front. Public for this project's modules, with no
 * compatibility promise to plugins.
 */
package io.planetexporter.tls;
