/**
 * The token commands of {@link dev.switchboard.securityagent.internal.TokenCommands} as Karaf console
 * actions, which print their answer wherever the command runs (a script sent by {@code bin/client}
 * too). Karaf finds them through the bundle's {@code Karaf-Commands} header; elsewhere nothing loads
 * these classes (the bundle imports Karaf's shell API optionally).
 */
package dev.switchboard.securityagent.internal.karaf;
