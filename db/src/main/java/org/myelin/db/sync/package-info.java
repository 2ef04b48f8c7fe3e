/** Per-user sync data: stored filters. */
package org.myelin.db.sync;
