/**
 * The console command as a Karaf console action. Karaf finds it through the bundle's
 * {@code Karaf-Commands} header; elsewhere nothing loads this class (the bundle imports Karaf's shell
 * API optionally).
 */
package dev.switchboard.console.internal.karaf;
