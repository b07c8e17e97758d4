/**
 * Reading a component's configuration fail-closed, and writing request-derived values into a log
 * line safely.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.switchboard.api.config;
