/**
 * E-mail addresses of accounts (spec: "Adding Account Administrative Contact Information", "Password management",
 * and registration's m.login.email.identity stage): validation sessions opened by a /requestToken, the mail with
 * its link, the page that takes the token back, and the endpoints that bind, list and remove addresses. Mail is sent
 * through the {@link org.myelin.clientapi.account.threepid.Mailer} port, which the homeserver implements over SMTP.
 */
package org.myelin.clientapi.account.threepid;
