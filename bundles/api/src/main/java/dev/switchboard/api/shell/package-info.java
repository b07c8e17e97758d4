/**
 * What Switchboard's shell commands share: their table layout, where Karaf actions print their
 * answer, and their registration as Gogo commands where no Karaf console presents them.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.switchboard.api.shell;
