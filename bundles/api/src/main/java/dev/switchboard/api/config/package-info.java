/**
 * Reading a component's configuration fail-closed, writing request-derived values into a log
 * line safely, and keeping lines repeated by clients from flooding the log.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.switchboard.api.config;
