/**
 * Supported API: the test kit of task plugins. Add {@code io.planetexporter:planet-api-testing}
 * with test scope; {@link io.planetexporter.api.testing.TestTaskContext} reads a task's options as
 * the server does and lets the test set inventory, host and clock, {@link
 * io.planetexporter.api.testing.TaskRun} runs a task and renders what a scrape would serve, and
 * {@link io.planetexporter.api.testing.TestTaskProvider} is a provider whose task the test
 * supplies.
 */
package io.planetexporter.api.testing;
