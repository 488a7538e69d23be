/**
 * Supported API: the test kit of task plugins. Add {@code io.planetexporter:planet-api-testing}
 * with test scope; {@link io.planetexporter.api.testing.TestTaskContext} reads a task's options as
 * the server does and lets the test set inventory, host and clock, and {@link
 * io.planetexporter.api.testing.TaskRun} runs a task and renders what a scrape would serve.
 */
package io.planetexporter.api.testing;
