/**
 * The shell commands of {@link dev.switchboard.sessions.internal.SessionsCommands} as Karaf console
 * actions, which complete order ids, product ids and statuses. Karaf finds them through the bundle's
 * {@code Karaf-Commands} header; elsewhere nothing loads these classes (the bundle imports Karaf's
 * shell API optionally).
 */
package dev.switchboard.sessions.internal.karaf;
