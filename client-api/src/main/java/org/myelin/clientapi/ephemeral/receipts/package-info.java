/**
 * Receipts and read markers: {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}},
 * {@code POST /rooms/{roomId}/read_markers} and the "receipts" sync stream ({@code m.receipt}). Private receipts
 * ({@code m.read.private}) reach only their owner; {@code m.fully_read} is room account data.
 */
package org.myelin.clientapi.ephemeral.receipts;
