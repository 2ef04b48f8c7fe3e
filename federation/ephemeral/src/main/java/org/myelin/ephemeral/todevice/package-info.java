/**
 * Send-to-device messaging: {@link org.myelin.ephemeral.todevice.ToDeviceService} stores messages for local
 * devices and queues those for other servers' users as {@code m.direct_to_device} EDUs.
 */
package org.myelin.ephemeral.todevice;
