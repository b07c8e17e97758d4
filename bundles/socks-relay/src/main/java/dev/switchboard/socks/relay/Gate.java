package dev.switchboard.socks.relay;

/** Who may use a SOCKS5 front end. */
public interface Gate {

    /** Whether clients must authenticate with a user name and password (RFC 1929); else no authentication. */
    boolean passwordRequired();

    /**
     * Admits a new client connection: checks the credentials (both {@code null} without authentication)
     * and joins the tunnel to its client's account with {@link UsageMeter#join}. Runs off the event loop
     * and may block.
     */
    void admit(Tunnel tunnel, String username, String password) throws Refusal;
}
