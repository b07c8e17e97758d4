/** Threads of the host's own: named so that a thread dump says whose they are, and daemons. */
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.switchboard.api.threads;
