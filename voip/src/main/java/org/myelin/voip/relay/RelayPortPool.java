package org.myelin.voip.relay;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/** Which relay ports of the configured range are taken. Hands out ports round-robin from a random start. */
final class RelayPortPool {

    private final int min;
    private final int size;
    private final BitSet used;
    private int cursor;

    RelayPortPool(int min, int max) {
        this.min = min;
        this.size = max - min + 1;
        this.used = new BitSet(size);
        this.cursor = ThreadLocalRandom.current().nextInt(size);
    }

    /**
     * Takes a free port.
     *
     * @param even whether it must be even (EVEN-PORT)
     * @param withNext whether the next port must be free too, and is taken as well (EVEN-PORT with the R bit)
     * @return the port, or -1 when none is free
     */
    synchronized int acquire(boolean even, boolean withNext) {
        for (int i = 0; i < size; i++) {
            int index = (cursor + i) % size;
            int port = min + index;
            if ((even && (port & 1) != 0) || used.get(index)) {
                continue;
            }
            if (withNext && (index + 1 >= size || used.get(index + 1))) {
                continue;
            }
            used.set(index);
            if (withNext) {
                used.set(index + 1);
            }
            cursor = (index + (withNext ? 2 : 1)) % size;
            return port;
        }
        return -1;
    }

    /** Returns a port to the pool. */
    synchronized void release(int port) {
        used.clear(port - min);
    }
}
