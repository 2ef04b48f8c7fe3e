package org.myelin.homeserver.startup;

/** A reason Myelin cannot start, phrased for the operator; reported as one log line without a stack trace. */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message, null, false, false);
    }
}
