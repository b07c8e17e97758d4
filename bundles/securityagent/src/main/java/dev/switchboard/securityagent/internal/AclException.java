package dev.switchboard.securityagent.internal;

/** An ACL that cannot be used; the message names the file and the place in it. */
final class AclException extends Exception {

    private static final long serialVersionUID = 1L;

    AclException(String message) {
        super(message);
    }

    AclException(String message, Throwable cause) {
        super(message, cause);
    }
}
