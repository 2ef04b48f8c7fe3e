/**
 * Send-to-device messaging: {@link org.myelin.ephemeral.todevice.ToDeviceService} stores messages for local
 * devices. Messages for other servers are dropped with a log line until the outbound sender exists.
 */
package org.myelin.ephemeral.todevice;
