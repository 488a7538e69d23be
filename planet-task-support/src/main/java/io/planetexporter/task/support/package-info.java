/**
 * Internal: what the built-in tasks share (bounded fetch, the Prometheus text parser, per-peer
 * traffic). Public for those tasks' modules, with no compatibility promise to plugins; a plugin
 * that uses it pins the exact version (the BOM does).
 */
package io.planetexporter.task.support;
