/**
 * Internal: the engine that finds, schedules and serves the tasks. Its public types are public for
 * planet-server and the benchmarks, with no compatibility promise; a plugin needs none of them.
 */
package io.planetexporter.collector;
