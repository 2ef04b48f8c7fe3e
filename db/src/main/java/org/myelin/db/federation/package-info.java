/** Tables of the server-server API: other servers' keys and the transactions they sent. */
package org.myelin.db.federation;
