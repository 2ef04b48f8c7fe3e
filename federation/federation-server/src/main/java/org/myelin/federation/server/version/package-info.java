/** GET /_matrix/federation/v1/version: which server software answers. */
package org.myelin.federation.server.version;
