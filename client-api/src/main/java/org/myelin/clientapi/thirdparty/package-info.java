/**
 * Third-party networks (https://spec.matrix.org/v1.19/client-server-api/#third-party-networks): the protocols
 * application services bridge and lookups of portal rooms and users through them.
 */
package org.myelin.clientapi.thirdparty;
