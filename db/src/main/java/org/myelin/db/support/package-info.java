/** Statement execution with timeouts and transactions; repositories use nothing else to reach PostgreSQL. */
package org.myelin.db.support;
