/**
 * Supported API: the task SPI ({@link io.planetexporter.api.TaskProvider}, {@link
 * io.planetexporter.api.Task}, {@link io.planetexporter.api.TaskOption}, {@link
 * io.planetexporter.api.TaskContext}) and the values tasks share ({@link
 * io.planetexporter.api.Inventory}, {@link io.planetexporter.api.Host}, {@link
 * io.planetexporter.api.HostIdentity}).
 *
 * <p>Every public type here is supported: it changes only by additions that keep plugins compiled
 * against an earlier version working (default methods, new factories, new constructors), each
 * marked {@code @since}; what has no {@code @since} is there since 0.1. Package-private types are
 * not API.
 */
package io.planetexporter.api;
