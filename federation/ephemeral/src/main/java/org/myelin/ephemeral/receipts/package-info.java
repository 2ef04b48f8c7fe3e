/** Receipts: {@link org.myelin.ephemeral.receipts.ReceiptService} writes them on the "receipts" stream. */
package org.myelin.ephemeral.receipts;
