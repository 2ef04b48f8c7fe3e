/**
 * OpenID userinfo (https://spec.matrix.org/v1.19/server-server-api/#openid): another service, given an OpenID
 * token a local user obtained over the client API, learns which user it was issued to.
 */
package org.myelin.federation.server.openid;
