/**
 * Read-only view of what the JSON-RPC transport has answered: requests, errors by code and
 * latency, per callsign and method.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.switchboard.rpc.metrics;
