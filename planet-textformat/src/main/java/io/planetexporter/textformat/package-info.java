/**
 * The Prometheus text exposition format (0.0.4), read as a stream: samples with their labels, and
 * an error that names the bad line; the line splitter under it. Public for this project's modules,
 * with no compatibility promise to plugins.
 */
package io.planetexporter.textformat;
