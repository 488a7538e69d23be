/**
 * Internal: the program ({@link io.planetexporter.server.Main}), with no compatibility promise
 * beyond its command line, configuration file, environment variables and HTTP endpoints.
 */
package io.planetexporter.server;
