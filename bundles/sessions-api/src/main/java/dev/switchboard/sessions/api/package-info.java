/** The Service API: what operators, service adapters (agent side) and client adapters call. */
@org.osgi.annotation.versioning.Version("2.0.0")
package dev.switchboard.sessions.api;
