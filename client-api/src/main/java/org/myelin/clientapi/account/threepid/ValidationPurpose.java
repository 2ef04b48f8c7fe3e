package org.myelin.clientapi.account.threepid;

/**
 * What a validation session proves an address for. Each purpose has its own /requestToken, its own check of the
 * address, and its own mail; a session of one purpose cannot be used for another.
 */
public enum ValidationPurpose {

    /** Registering an account with the address (POST /register/email/requestToken). */
    REGISTER("register", "Validate your e-mail address to register on %s",
            "Someone, hopefully you, wants to register an account on %s with this e-mail address."),
    /** Adding the address to an account (POST /account/3pid/email/requestToken). */
    ADD("add", "Validate your e-mail address on %s",
            "Someone, hopefully you, wants to add this e-mail address to a Matrix account on %s."),
    /** Resetting the password of the account holding the address (POST /account/password/email/requestToken). */
    PASSWORD("password", "Reset your password on %s",
            "Someone, hopefully you, asked to reset the password of the Matrix account on %s that has this e-mail"
                    + " address.");

    private final String stored;
    private final String subject;
    private final String intro;

    ValidationPurpose(String stored, String subject, String intro) {
        this.stored = stored;
        this.subject = subject;
        this.intro = intro;
    }

    /** The value in {@code threepid_sessions.purpose}. */
    public String stored() {
        return stored;
    }

    /** The mail's subject for this server. */
    String subject(String serverName) {
        return subject.formatted(serverName);
    }

    /** The mail's text: what is asked, the link to follow, and the token for clients that ask for it. */
    String text(String serverName, String link, String token) {
        return intro.formatted(serverName) + "\n\nTo confirm, open this link:\n\n" + link
                + "\n\nor give your client this code: " + token
                + "\n\nIf it was not you, ignore this mail: nothing happens until the link is opened.\n";
    }
}
