package dev.switchboard.itests;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;

import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import dev.switchboard.api.security.Decision;
import dev.switchboard.api.security.SecurityOfficer;

/**
 * Enforcement on, decided by an officer that knows three JWT-shaped tokens (a browser-style client
 * may pass them as a subprotocol too): GOOD may do anything; LIMITED may read but not change states
 * nor register; BAD, and any other, is not valid.
 */
public abstract class TestOfficerSupport extends SwitchboardTestSupport {

    static final String GOOD = "eyJhbGciOiJIUzI1NiJ9.eyJ1cmwiOiJodHRwOi8vbG9jYWxob3N0In0.Z29vZA";
    static final String LIMITED = "eyJhbGciOiJIUzI1NiJ9.eyJ1cmwiOiJodHRwOi8vYXBwcyJ9.bGltaXRlZA";
    static final String BAD = "eyJhbGciOiJIUzI1NiJ9.eyJ1cmwiOiJodHRwOi8vbG9jYWxob3N0In0.YmFk";

    private static final SecurityOfficer OFFICER = (token, call) -> {
        if (GOOD.equals(token)) {
            return Decision.ALLOWED;
        }
        if (LIMITED.equals(token)) {
            return Set.of("activate", "deactivate", "register").contains(call.method()) ? Decision.DENIED : Decision.ALLOWED;
        }
        return call.method().equals("exists") && token == null ? Decision.ALLOWED : Decision.UNAUTHENTICATED;
    };

    private ServiceRegistration<SecurityOfficer> officer;

    @Override
    protected String rpcConfiguration() {
        return "enforce=true\n";
    }

    /** Above any SecurityAgent. */
    @Before
    public void registerOfficer() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 100);
        officer = context.registerService(SecurityOfficer.class, OFFICER, properties);
    }

    @After
    public void withdrawOfficer() {
        officer.unregister();
    }
}
