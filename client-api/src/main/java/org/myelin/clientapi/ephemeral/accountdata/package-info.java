/**
 * Account data and room tags: {@code /user/{userId}/account_data/{type}},
 * {@code /user/{userId}/rooms/{roomId}/account_data/{type}}, {@code .../tags}, and the "account_data" sync stream.
 * Tags are the room account data {@code m.tag}; {@code m.direct} is plain global account data.
 */
package org.myelin.clientapi.ephemeral.accountdata;
