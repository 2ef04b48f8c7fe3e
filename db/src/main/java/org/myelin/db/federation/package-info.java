/** Tables of the server-server API: other servers' keys, the transactions they sent, and delivery to them. */
package org.myelin.db.federation;
