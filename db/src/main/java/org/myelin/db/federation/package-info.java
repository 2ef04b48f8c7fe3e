/** Tables of the server-server API: other servers' keys. */
package org.myelin.db.federation;
