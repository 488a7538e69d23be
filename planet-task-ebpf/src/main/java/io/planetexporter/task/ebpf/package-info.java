/**
 * The {@code ebpf} task. Supported API: {@link io.planetexporter.task.ebpf.EbpfTaskProvider} only,
 * as ServiceLoader finds it; the rest is package-private.
 */
package io.planetexporter.task.ebpf;
