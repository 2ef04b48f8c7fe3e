package org.myelin.voip.relay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A client that keeps every frame the relay sends it. */
final class RecordingSink implements ClientSink {

    final List<byte[]> frames = new ArrayList<>();
    private final boolean stream;

    RecordingSink(boolean stream) {
        this.stream = stream;
    }

    @Override
    public void send(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(copy);
    }

    @Override
    public boolean stream() {
        return stream;
    }

    byte[] last() {
        return frames.get(frames.size() - 1);
    }
}
