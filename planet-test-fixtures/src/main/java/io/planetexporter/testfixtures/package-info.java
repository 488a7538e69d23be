/**
 * The project's own test fixtures, for its modules' tests (test scope) and the benchmarks: {@link
 * io.planetexporter.testfixtures.TestHttpClient}, {@link
 * io.planetexporter.testfixtures.TestHttpServer}, {@link
 * io.planetexporter.testfixtures.TestHttpsServer}, {@link io.planetexporter.testfixtures.TestPki},
 * {@link io.planetexporter.testfixtures.Distribution} and {@link
 * io.planetexporter.testfixtures.ExporterProcess}. Not supported API: never shipped, not in the
 * BOM.
 */
package io.planetexporter.testfixtures;
