package dev.switchboard.securityagent.internal;

import java.util.List;

import dev.switchboard.api.config.Settings;

/**
 * The SecurityAgent's configuration, read fail-closed: a value of the wrong type, out of range or empty keeps
 * its default and is named in {@link Settings#rejections()}; {@code acceptTokensWithoutExpiry} is on only
 * when it says {@code true}; an
 * {@code openMethods} list with one entry that is not a designator keeps Thunder's, only {@code Controller.1.exists}. The ranges are the metatype's.
 */
record AgentSettings(String callsign, String acl, String dac, String connector, String keyFile, String revocationFile,
        long tokenLifetimeSeconds, boolean acceptTokensWithoutExpiry, int maxTokenBytes, List<String> openMethods) {

    static final String ACL = "etc/acl.json";
    static final String DAC = "etc/acl.d";
    static final String CONNECTOR = "data/securityagent/token.sock";
    static final String KEY_FILE = "data/securityagent/keys.json";
    static final String REVOCATION_FILE = "data/securityagent/revoked.json";
    static final String MIN_TOKEN_LIFETIME_SECONDS = "1";
    /** A year. */
    static final String MAX_TOKEN_LIFETIME_SECONDS = "31536000";
    static final long TOKEN_LIFETIME_SECONDS = 86400;
    static final String MIN_TOKEN_BYTES = "256";
    static final String MAX_TOKEN_BYTES = "65536";
    static final int TOKEN_BYTES = 4096;

    /** Reads every setting; what was refused is in {@code settings.rejections()}. */
    static AgentSettings read(Settings settings) {
        return new AgentSettings(
                settings.text("callsign", "SecurityAgent"),
                settings.text("acl", ACL),
                settings.text("dac", DAC),
                settings.text("connector", CONNECTOR),
                settings.text("keyFile", KEY_FILE),
                settings.text("revocationFile", REVOCATION_FILE),
                settings.longInteger("tokenLifetimeSeconds", MIN_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_SECONDS,
                        TOKEN_LIFETIME_SECONDS),
                settings.flag("acceptTokensWithoutExpiry", false),
                settings.integer("maxTokenBytes", MIN_TOKEN_BYTES, MAX_TOKEN_BYTES, TOKEN_BYTES),
                settings.texts("openMethods", OpenMethods::isValid, OpenMethods.RULE, OpenMethods.THUNDER));
    }

}
