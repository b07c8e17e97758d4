/**
 * Files and folders only their owner may read or write: secrets, databases and sockets the host creates.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.switchboard.api.files;
