/** Outgoing e-mail: the SMTP implementation of client-api's {@code Mailer} port. */
package org.myelin.homeserver.mail;
