/**
 * The {@code darkstat} task. Supported API: {@link
 * io.planetexporter.task.darkstat.DarkstatTaskProvider} only, as ServiceLoader finds it; the rest
 * is package-private.
 */
package io.planetexporter.task.darkstat;
