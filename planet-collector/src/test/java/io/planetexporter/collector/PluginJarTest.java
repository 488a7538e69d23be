package io.planetexporter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.planetexporter.api.TaskProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery of a provider in a jar that is not on the classpath, as a plugin dropped in lib/. */
class PluginJarTest {

  private static final String SOURCE =
      """
      package org.example.plugin;

      import io.planetexporter.api.Task;
      import io.planetexporter.api.TaskContext;
      import io.planetexporter.api.TaskProvider;

      public final class UptimeProvider implements TaskProvider {
        public String name() { return "uptime"; }
        public String description() { return "Serves the uptime."; }
        public Task create(TaskContext context) { throw new UnsupportedOperationException(); }
      }
      """;

  @TempDir Path dir;

  private Path buildPluginJar() throws IOException {
    Path sources = Files.createDirectories(dir.resolve("src/org/example/plugin"));
    Path source = Files.writeString(sources.resolve("UptimeProvider.java"), SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status =
        compiler.run(
            null,
            null,
            null,
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            source.toString());
    assertThat(status).as("javac exit status").isZero();
    Path jar = dir.resolve("uptime-plugin.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      add(
          out,
          "META-INF/services/io.planetexporter.api.TaskProvider",
          "org.example.plugin.UptimeProvider\n".getBytes(StandardCharsets.UTF_8));
      add(
          out,
          "org/example/plugin/UptimeProvider.class",
          Files.readAllBytes(classes.resolve("org/example/plugin/UptimeProvider.class")));
    }
    return jar;
  }

  private static void add(JarOutputStream jar, String name, byte[] content) throws IOException {
    jar.putNextEntry(new JarEntry(name));
    jar.write(content);
    jar.closeEntry();
  }

  @Test
  void findsTheProviderOfAJarAddedToTheClassPath() throws Exception {
    Path jar = buildPluginJar();

    try (URLClassLoader plugins =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      TaskProviders providers = TaskProviders.discover(ProviderLoader.serviceLoader(plugins));

      assertThat(providers.all())
          .extracting(TaskProvider::name)
          .containsExactly("service-loaded", "uptime");
      assertThat(providers.get("uptime").getClass().getClassLoader()).isSameAs(plugins);
    }
  }
}
