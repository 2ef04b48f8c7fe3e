package org.myelin.db.account;

/** One row of {@code devices}. */
public record DeviceRow(String userId, String deviceId, String displayName, Long lastSeenTs, String lastSeenIp) {
}
