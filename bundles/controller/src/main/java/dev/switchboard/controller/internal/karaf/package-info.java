/**
 * The shell commands of {@link dev.switchboard.controller.internal.PluginCommands} as Karaf console
 * actions, which complete callsigns. Karaf finds them through the bundle's {@code Karaf-Commands}
 * header; elsewhere nothing loads these classes (the bundle imports Karaf's shell API optionally).
 */
package dev.switchboard.controller.internal.karaf;
