package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.AcceptedValues;
import dev.switchboard.api.config.Settings;
import dev.switchboard.api.files.Home;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.security.Call;
import dev.switchboard.api.security.Decision;
import dev.switchboard.api.security.SecurityOfficer;
import dev.switchboard.api.security.TokenIssuer;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * Thunder's SecurityAgent: issues tokens over a local socket, validates them, and, as the host's
 * {@link SecurityOfficer}, decides every call from outside against the ACL.
 */
@Component(service = {Plugin.class, SecurityOfficer.class},
        configurationPid = "dev.switchboard.securityagent", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = SecurityAgentPlugin.Config.class, factory = true)
public class SecurityAgentPlugin implements Plugin, JSecurityAgent, SecurityOfficer, TokenAuthority {

    /** The metatype; {@link AgentSettings} reads the properties with the same defaults and ranges. */
    @ObjectClassDefinition(name = "Switchboard SecurityAgent plugin")
    public @interface Config {
        String callsign() default "SecurityAgent";

        String startmode() default "Activated";

        @AttributeDefinition(description = "ACL file; relative paths resolve against switchboard.home")
        String acl() default AgentSettings.ACL;

        @AttributeDefinition(description = "Folder of extra ACL files (*.json, merged in name order)")
        String dac() default AgentSettings.DAC;

        @AttributeDefinition(description = "Unix domain socket where local applications ask for tokens")
        String connector() default AgentSettings.CONNECTOR;

        @AttributeDefinition(description = "Owner-only file holding the token signing keys")
        String keyFile() default AgentSettings.KEY_FILE;

        @AttributeDefinition(description = "Owner-only file holding the revoked token ids")
        String revocationFile() default AgentSettings.REVOCATION_FILE;

        @AttributeDefinition(description = "How long an issued token is valid, in seconds",
                min = AgentSettings.MIN_TOKEN_LIFETIME_SECONDS, max = AgentSettings.MAX_TOKEN_LIFETIME_SECONDS)
        long tokenLifetimeSeconds() default AgentSettings.TOKEN_LIFETIME_SECONDS;

        @AttributeDefinition(description = "Accept tokens without an exp claim, as Thunder issues them; only"
                + " true turns it on")
        boolean acceptTokensWithoutExpiry() default false;

        @AttributeDefinition(description = "Longer tokens are refused unread", min = AgentSettings.MIN_TOKEN_BYTES,
                max = AgentSettings.MAX_TOKEN_BYTES)
        int maxTokenBytes() default AgentSettings.TOKEN_BYTES;

        @AttributeDefinition(description = "Methods any caller may call without a token, each Callsign.method or"
                + " Callsign.version.method; a call that carries a token that is not valid is refused even here."
                + " A list with an entry of another form keeps the default")
        String[] openMethods() default "Controller.1.exists";
    }

    static final String PID = "dev.switchboard.securityagent";
    private static final Logger LOG = LoggerFactory.getLogger(SecurityAgentPlugin.class);
    /** Each change of the configuration activates a new instance: what the last one accepted. */
    private static final AcceptedValues ACCEPTED = new AcceptedValues();
    private static final int MAX_PAYLOAD_BYTES = 4096;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ACL_POLL = Duration.ofSeconds(1);
    private static final Duration HOUSEKEEPING = Duration.ofMinutes(1);

    private TokenKeys keys;
    private RevocationList revocations;
    private TokenService tokens;
    private AclWatcher acl;
    private ServiceRegistration<TokenAuthority> authority;
    private Officer officer;
    private TokenConnector connector;
    private ScheduledExecutorService scheduler;
    private volatile boolean housekeepingFails;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws IOException {
        Settings settings = new Settings(String.valueOf(properties.getOrDefault("service.pid", PID)), properties,
                ACCEPTED);
        AgentSettings config = AgentSettings.read(settings);
        settings.rejections().forEach(LOG::error);
        settings.unknownKeyWarnings(Config.class).forEach(LOG::warn);
        Path home = Home.of(context.getProperty(Home.PROPERTY));
        Duration lifetime = Duration.ofSeconds(config.tokenLifetimeSeconds());
        Clock clock = Clock.systemUTC();

        keys = new TokenKeys(home.resolve(config.keyFile()), lifetime, clock, new SecureRandom());
        keys.load();
        revocations = new RevocationList(home.resolve(config.revocationFile()), clock);
        revocations.load();
        TokenService.Settings defaults = TokenService.Settings.defaults();
        tokens = new TokenService(keys, revocations, new TokenService.Settings(lifetime,
                config.acceptTokensWithoutExpiry(), config.maxTokenBytes(), defaults.skew(), defaults.cacheCapacity()),
                clock);

        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("switchboard-securityagent"));
        acl = new AclWatcher(new AclFiles(home.resolve(config.acl()), home.resolve(config.dac())));
        acl.start(scheduler, ACL_POLL);
        scheduler.scheduleWithFixedDelay(this::housekeeping, HOUSEKEEPING.toMillis(), HOUSEKEEPING.toMillis(),
                TimeUnit.MILLISECONDS);
        officer = new Officer(new OpenMethods(config.openMethods()), tokens, acl);

        connector = new TokenConnector(home.resolve(config.connector()), tokens::issue, MAX_PAYLOAD_BYTES,
                CLIENT_TIMEOUT);
        try {
            connector.start();
        } catch (IOException | RuntimeException e) {
            LOG.error("SecurityAgent {}: the token connector cannot listen on {}; tokens can only be issued from the"
                    + " console: {}", config.callsign(), connector.socket(), e.toString());
            connector = null;
        }
        // for the console commands of this bundle only: a registration of its own, so that the plugin
        // whiteboard and the transport never see a type of this bundle's internals
        // and for other bundles' console commands (the operator console's), as the API's TokenIssuer
        @SuppressWarnings("unchecked")
        ServiceRegistration<TokenAuthority> registration = (ServiceRegistration<TokenAuthority>) context.registerService(
                new String[] {TokenAuthority.class.getName(), TokenIssuer.class.getName()}, this, null);
        authority = registration;
        LOG.info("SecurityAgent {} activated", config.callsign());
    }

    @Deactivate
    void deactivate() {
        if (authority != null) {
            authority.unregister();
        }
        if (connector != null) {
            connector.stop();
        }
        if (acl != null) {
            acl.stop();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public Decision decide(String token, Call call) {
        return officer.decide(token, call);
    }

    @Override
    public boolean validate(Token params) {
        if (params == null || !(params.token() instanceof String token)) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "token must be a string");
        }
        return tokens.validate(token).isValid();
    }

    @Override
    public String issue(String payload) {
        return tokens.issue(payload);
    }

    @Override
    public void revoke(String jti) throws IOException {
        tokens.revoke(jti);
    }

    @Override
    public String rotate() throws IOException {
        return keys.rotate();
    }

    /**
     * Drops expired keys and revocations, and writes their files again if they were removed; a failure to
     * write them is logged once, not every minute.
     */
    private void housekeeping() {
        try {
            keys.dropExpired();
            revocations.purge();
            boolean keysRestored = keys.restoreIfRemoved();
            boolean revocationsRestored = revocations.restoreIfRemoved();
            if (keysRestored || revocationsRestored) {
                LOG.error("SecurityAgent: its key or revocation file was removed while the host runs; both are"
                        + " written again from what is in force");
            }
            if (housekeepingFails) {
                housekeepingFails = false;
                LOG.info("SecurityAgent writes its key and revocation files again");
            }
        } catch (IOException | RuntimeException e) {
            if (!housekeepingFails) {
                housekeepingFails = true;
                LOG.error("SecurityAgent cannot write its key or revocation file: {}", e.toString());
            }
        }
    }
}
